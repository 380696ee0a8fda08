package io.github.onsdelay.producer.autoconfigure;

import io.github.onsdelay.producer.AbstractProducer;
import io.github.onsdelay.producer.OnsProducerRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.Ordered;

/**
 * Connects each {@link AbstractProducer} bean to the registry's producer of its name, after the bean's own
 * {@code @ConfigurationProperties} are bound and before it is initialized.
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
            producer.bind(factory.getBean(OnsProducerRegistry.class).getProducer(name));
        }
        return bean;
    }

    @Override
    public int getOrder() {
        // After ConfigurationPropertiesBindingPostProcessor, which binds the subclass's own settings.
        return Ordered.LOWEST_PRECEDENCE;
    }

}
