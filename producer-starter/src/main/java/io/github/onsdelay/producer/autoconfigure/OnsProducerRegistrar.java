package io.github.onsdelay.producer.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.github.onsdelay.producer.AbstractProducer;
import io.github.onsdelay.producer.DefaultDelayProducer;
import io.github.onsdelay.producer.OnsConfigurationException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.type.MethodMetadata;
import org.springframework.util.ClassUtils;

/**
 * Registers one {@link DefaultDelayProducer} bean per {@code mqs.ons.producers} entry that no
 * {@link AbstractProducer} subclass already covers, named after its key, and rejects settings under a
 * producer's section that the producer does not have (a misspelt {@code delay} would otherwise be
 * ignored, and every retry lost).
 */
class OnsProducerRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware {

    private static final ConfigurationPropertyName PRODUCERS =
        ConfigurationPropertyName.of(AbstractProducer.PRODUCERS_PREFIX);

    private static final Set<String> INFRASTRUCTURE = Set.of("delayMessageSender", "beanName", "beanFactory");

    private @Nullable ConfigurableEnvironment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = (ConfigurableEnvironment) environment;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        ConfigurableEnvironment env = this.environment;
        if (env == null) {
            return;
        }
        Map<String, Class<?>> covered = userProducers(registry);
        Map<String, Set<String>> declared = declaredSettings(env);
        List<String> problems = new ArrayList<>();
        declared.forEach((key, settings) -> {
            Class<?> type = covered.getOrDefault(key, DefaultDelayProducer.class);
            Set<String> known = knownSettings(type);
            for (String setting : settings) {
                if (!known.contains(setting)) {
                    problems.add(AbstractProducer.PRODUCERS_PREFIX + "." + key + "." + setting + " is not a setting of "
                        + (type == DefaultDelayProducer.class ? "a producer" : type.getName()) + "; known: "
                        + String.join(", ", known));
                }
            }
        });
        if (!problems.isEmpty()) {
            throw new OnsConfigurationException("Unknown producer settings:\n - " + String.join("\n - ", problems));
        }
        Binder binder = Binder.get(env);
        for (String key : declared.keySet()) {
            if (!covered.containsKey(key) && !registry.containsBeanDefinition(key)) {
                RootBeanDefinition definition = new RootBeanDefinition(DefaultDelayProducer.class,
                    () -> binder.bindOrCreate(AbstractProducer.PRODUCERS_PREFIX + "." + key,
                        Bindable.ofInstance(new DefaultDelayProducer(key))));
                registry.registerBeanDefinition(key, definition);
            }
        }
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    }

    /** Producer names covered by beans of user subclasses, with their classes. */
    private static Map<String, Class<?>> userProducers(BeanDefinitionRegistry registry) {
        Map<String, Class<?>> covered = new LinkedHashMap<>();
        for (String beanName : registry.getBeanDefinitionNames()) {
            BeanDefinition definition = registry.getBeanDefinition(beanName);
            MethodMetadata factoryMethod = definition instanceof AnnotatedBeanDefinition annotated
                ? annotated.getFactoryMethodMetadata() : null;
            String className = factoryMethod != null ? factoryMethod.getReturnTypeName() : definition.getBeanClassName();
            Class<?> type = resolve(className);
            if (type == null || !AbstractProducer.class.isAssignableFrom(type) || type == DefaultDelayProducer.class) {
                continue;
            }
            MergedAnnotation<ConfigurationProperties> properties = factoryMethod != null
                ? factoryMethod.getAnnotations().get(ConfigurationProperties.class) : MergedAnnotation.missing();
            if (!properties.isPresent()) {
                properties = MergedAnnotations.from(type, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
                    .get(ConfigurationProperties.class);
            }
            String prefix = properties.isPresent() ? properties.getString("prefix") : "";
            if (prefix.isEmpty() && properties.isPresent()) {
                prefix = properties.getString("value");
            }
            String producersPrefix = AbstractProducer.PRODUCERS_PREFIX + ".";
            covered.put(prefix.startsWith(producersPrefix) ? prefix.substring(producersPrefix.length()) : beanName, type);
        }
        return covered;
    }

    private static @Nullable Class<?> resolve(@Nullable String className) {
        if (className == null) {
            return null;
        }
        try {
            return ClassUtils.forName(className, OnsProducerRegistrar.class.getClassLoader());
        }
        catch (ClassNotFoundException | LinkageError ex) {
            return null;
        }
    }

    /** Every producer key found under mqs.ons.producers, with the settings (dashed) given for it. */
    private static Map<String, Set<String>> declaredSettings(ConfigurableEnvironment environment) {
        Map<String, Set<String>> declared = new LinkedHashMap<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            iterable.filter(PRODUCERS::isAncestorOf).stream().forEach(name -> {
                if (name.getNumberOfElements() > PRODUCERS.getNumberOfElements()) {
                    String key = name.getElement(PRODUCERS.getNumberOfElements(), ConfigurationPropertyName.Form.ORIGINAL);
                    Set<String> settings = declared.computeIfAbsent(key, k -> new TreeSet<>());
                    if (name.getNumberOfElements() > PRODUCERS.getNumberOfElements() + 1) {
                        settings.add(name.getElement(PRODUCERS.getNumberOfElements() + 1,
                            ConfigurationPropertyName.Form.DASHED));
                    }
                }
            });
        }
        return declared;
    }

    /** The settings (dashed) a producer class can be bound with. */
    static Set<String> knownSettings(Class<?> producerType) {
        Set<String> known = new TreeSet<>();
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(producerType)) {
            if (descriptor.getWriteMethod() != null && !isInfrastructure(descriptor.getName())) {
                known.add(DataObjectPropertyName.toDashedForm(descriptor.getName()));
            }
        }
        return known;
    }

    /** Setters of AbstractProducer that are wiring, not settings. */
    private static boolean isInfrastructure(String property) {
        return INFRASTRUCTURE.contains(property);
    }

}
