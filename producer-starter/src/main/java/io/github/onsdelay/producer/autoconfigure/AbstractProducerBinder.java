package io.github.onsdelay.producer.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.github.onsdelay.core.OnsConfigurationException;
import io.github.onsdelay.producer.AbstractProducer;
import io.github.onsdelay.producer.OnsProducerRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Connects each {@link AbstractProducer} bean to the registry's producer of its name, after the bean's own
 * {@code @ConfigurationProperties} are bound and before it is initialized. A subclass that declares a property
 * of the library's own (a {@code delaySecondList}, {@code topic} or {@code tag} kept from the original ONS
 * code) is bound from the same key as the library's setting; should its value differ from what the library
 * read (a default in code, a value set by hand), start-up fails naming the property, since the library's value
 * is the one that schedules.
 */
class AbstractProducerBinder implements BeanPostProcessor, BeanFactoryAware, Ordered {

    private @Nullable ConfigurableListableBeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
        ConfigurableListableBeanFactory factory = this.beanFactory;
        if (bean instanceof AbstractProducer producer && factory != null) {
            String name = ProducerNames.of(factory, beanName);
            checkShadowedSettings(producer, name, factory.getBean(Environment.class));
            producer.bind(factory.getBean(OnsProducerRegistry.class).getProducer(name));
        }
        return bean;
    }

    private static void checkShadowedSettings(AbstractProducer producer, String name, Environment environment) {
        String section = ProducerNames.PREFIX + "." + name;
        ProducerProperties library = Binder.get(environment).bind(section, ProducerProperties.class)
            .orElseGet(ProducerProperties::new);
        BeanWrapper libraryValues = new BeanWrapperImpl(library);
        BeanWrapper subclassValues = new BeanWrapperImpl(producer);
        Set<String> librarySettings = ProducerSettingsMapper.knownSettings(null);
        List<String> problems = new ArrayList<>();
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(producer.getClass())) {
            String setting = DataObjectPropertyName.toDashedForm(descriptor.getName());
            if (descriptor.getReadMethod() == null || descriptor.getWriteMethod() == null
                    || !librarySettings.contains(setting)) {
                continue;
            }
            Object own = valueOrNull(subclassValues, descriptor.getName());
            Object read = libraryValues.getPropertyValue(descriptor.getName());
            if (own != null && !Objects.equals(String.valueOf(own), String.valueOf(read))) {
                problems.add(producer.getClass().getName() + "." + descriptor.getName() + " is " + own + ", but "
                    + section + "." + setting + " is " + (read == null ? "not set" : read) + " and the library "
                    + "schedules with that: set the value in " + section + "." + setting + " (the field is bound "
                    + "from it too), or remove the field");
            }
        }
        if (!problems.isEmpty()) {
            throw new OnsConfigurationException("Producer '" + name + "' is declared twice:\n - "
                + String.join("\n - ", problems));
        }
    }

    /** A property's value; null when unset (a Kotlin {@code lateinit} not bound throws on read). */
    private static @Nullable Object valueOrNull(BeanWrapper bean, String property) {
        try {
            return bean.getPropertyValue(property);
        }
        catch (BeansException ex) {
            return null;
        }
    }

    @Override
    public int getOrder() {
        // After ConfigurationPropertiesBindingPostProcessor, which binds the subclass's own settings.
        return Ordered.LOWEST_PRECEDENCE;
    }

}
