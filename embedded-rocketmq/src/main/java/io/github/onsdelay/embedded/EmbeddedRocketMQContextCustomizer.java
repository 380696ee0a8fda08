package io.github.onsdelay.embedded;

import java.util.Map;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Puts the shared server's endpoint into the context's environment, ahead of every other property
 * source, and the server itself in as the {@code embeddedRocketMQBroker} bean. Equal settings make
 * equal customizers, so Spring's test context cache keeps working.
 */
final class EmbeddedRocketMQContextCustomizer implements ContextCustomizer {

    static final String BEAN_NAME = "embeddedRocketMQBroker";

    private final EmbeddedRocketMQSettings settings;

    EmbeddedRocketMQContextCustomizer(EmbeddedRocketMQSettings settings) {
        this.settings = settings;
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
        EmbeddedRocketMQBroker broker = SharedBrokers.obtain(settings);
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("embeddedRocketMQ",
            Map.of(settings.endpointsProperty(), broker.endpoints())));
        ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
        if (!beanFactory.containsSingleton(BEAN_NAME)) {
            beanFactory.registerSingleton(BEAN_NAME, broker);
        }
    }

    @Override
    public boolean equals(Object other) {
        return this == other
            || (other instanceof EmbeddedRocketMQContextCustomizer customizer && settings.equals(customizer.settings));
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }

}
