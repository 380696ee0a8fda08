package io.github.onsdelay.embedded;

import java.util.Map;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.ClassUtils;

/**
 * Gives a test context the shared server: as the {@code embeddedRocketMQBroker} bean and, with ons-delay's
 * client on the class path, as its {@code OnsConnectionDetails} (endpoint, timer precision, maximum delay),
 * which take the place of the {@code mqs.ons} connection properties. Equal settings make equal customizers, so
 * Spring's test context cache keeps working.
 */
final class EmbeddedRocketMQContextCustomizer implements ContextCustomizer {

    static final String BEAN_NAME = "embeddedRocketMQBroker";

    static final String CONNECTION_DETAILS_BEAN_NAME = "embeddedRocketMQConnectionDetails";

    private static final boolean ONS_CLIENT_PRESENT = ClassUtils.isPresent(
        "io.github.onsdelay.core.autoconfigure.OnsConnectionDetails", EmbeddedRocketMQContextCustomizer.class.getClassLoader());

    private final EmbeddedRocketMQSettings settings;

    EmbeddedRocketMQContextCustomizer(EmbeddedRocketMQSettings settings) {
        this.settings = settings;
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
        EmbeddedRocketMQBroker broker = SharedBrokers.obtain(settings);
        Map<String, Object> properties = new java.util.HashMap<>();
        if (!settings.endpointsProperty().isEmpty()) {
            properties.put(settings.endpointsProperty(), broker.endpoints());
        }
        if (settings.timeScale() != 1) {
            properties.put("mqs.ons.time-scale", Double.toString(settings.timeScale()));
        }
        if (!properties.isEmpty()) {
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("embeddedRocketMQ",
                properties));
        }
        ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
        if (!beanFactory.containsSingleton(BEAN_NAME)) {
            beanFactory.registerSingleton(BEAN_NAME, broker);
        }
        if (ONS_CLIENT_PRESENT && !beanFactory.containsSingleton(CONNECTION_DETAILS_BEAN_NAME)) {
            beanFactory.registerSingleton(CONNECTION_DETAILS_BEAN_NAME, ConnectionDetailsFactory.create(broker));
        }
    }

    /** Apart, so that the connection details type is loaded only when ons-delay's client is there. */
    private static final class ConnectionDetailsFactory {

        static Object create(EmbeddedRocketMQBroker broker) {
            return new EmbeddedRocketMQConnectionDetails(broker);
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
