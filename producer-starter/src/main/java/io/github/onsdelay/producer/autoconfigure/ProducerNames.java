package io.github.onsdelay.producer.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.onsdelay.producer.AbstractProducer;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The one place that names a producer bean written as an {@link AbstractProducer} subclass: the key in its
 * {@code @ConfigurationProperties("mqs.ons.producers.<key>")} prefix (on the class or on its {@code @Bean}
 * method), or else its bean name.
 */
final class ProducerNames {

    static final String PREFIX = "mqs.ons.producers";

    private ProducerNames() {
    }

    /** The producer name of the {@link AbstractProducer} bean {@code beanName}. */
    static String of(ConfigurableListableBeanFactory beanFactory, String beanName) {
        // Resolves the factory method of a @Bean definition, so that its annotations are found too.
        beanFactory.getType(beanName, false);
        ConfigurationProperties annotation = beanFactory.findAnnotationOnBean(beanName, ConfigurationProperties.class,
            false);
        String prefix = annotation == null ? "" : annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
        return prefix.startsWith(PREFIX + ".") ? prefix.substring(PREFIX.length() + 1) : beanName;
    }

    /** Every {@link AbstractProducer} subclass bean, by producer name, with its class. */
    static Map<String, Class<?>> subclasses(ConfigurableListableBeanFactory beanFactory) {
        Map<String, Class<?>> subclasses = new LinkedHashMap<>();
        for (String beanName : beanFactory.getBeanNamesForType(AbstractProducer.class, true, false)) {
            Class<?> type = beanFactory.getType(beanName, false);
            if (type != null) {
                subclasses.put(of(beanFactory, beanName), type);
            }
        }
        return subclasses;
    }

}
