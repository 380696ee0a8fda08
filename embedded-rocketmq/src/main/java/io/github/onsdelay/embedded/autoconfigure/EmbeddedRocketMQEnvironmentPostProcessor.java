package io.github.onsdelay.embedded.autoconfigure;

import java.util.Map;

import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import org.apache.commons.logging.Log;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the embedded server while the environment is prepared, when {@code mqs.ons.embedded.enabled=true},
 * and sets {@code mqs.ons.endpoints} to it. This runs before any bean exists, so every producer, consumer
 * and {@code @ConditionalOnProperty} sees the endpoint. The server stops when the context closes or fails.
 */
class EmbeddedRocketMQEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY_SOURCE_NAME = "embeddedRocketMQ";

    private final Log log;

    EmbeddedRocketMQEnvironmentPostProcessor(DeferredLogFactory logFactory) {
        // Logging is not set up yet while the environment is prepared: Boot replays this log later.
        this.log = logFactory.getLog(EmbeddedRocketMQEnvironmentPostProcessor.class);
    }

    @Override
    public int getOrder() {
        // After application.yml and profiles are loaded (ConfigData runs at HIGHEST_PRECEDENCE + 10).
        return Ordered.LOWEST_PRECEDENCE - 10;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Binder binder = Binder.get(environment);
        if (!binder.bind(EmbeddedRocketMQProperties.PREFIX + ".enabled", Boolean.class).orElse(false)
                || environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
            return;
        }
        EmbeddedRocketMQProperties properties = binder.bind(EmbeddedRocketMQProperties.PREFIX,
            Bindable.of(EmbeddedRocketMQProperties.class)).orElseGet(EmbeddedRocketMQProperties::new);
        EmbeddedRocketMQBroker broker = build(properties);
        broker.start();
        this.log.info("Embedded RocketMQ started for this application at " + broker.endpoints() + " (store "
            + broker.storeDir() + ", started in " + broker.lastStartupTime().toMillis() + " ms)");
        environment.getPropertySources().addFirst(new BrokerPropertySource(broker));
        application.addListeners(new StopOnShutdown(broker));
    }

    private static EmbeddedRocketMQBroker build(EmbeddedRocketMQProperties properties) {
        EmbeddedRocketMQBroker.Builder builder;
        try {
            builder = EmbeddedRocketMQBroker.builder()
                .timerPrecision(properties.getTimerPrecision())
                .maxDelay(properties.getMaxDelay())
                .logLevel(properties.getLogLevel())
                .longPollingTimeout(properties.getLongPollingTimeout())
                .grpcPort(properties.getGrpcPort());
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalStateException("Invalid " + EmbeddedRocketMQProperties.PREFIX + " configuration: "
                + ex.getMessage(), ex);
        }
        if (properties.getStoreDir() != null) {
            builder.storeDir(properties.getStoreDir());
        }
        properties.getTopics().forEach(builder::topic);
        properties.getGroups().forEach(builder::group);
        return builder.build();
    }

    /** Carries the endpoint as a property and the broker itself, for {@link EmbeddedRocketMQAutoConfiguration}. */
    static final class BrokerPropertySource extends MapPropertySource {

        private final EmbeddedRocketMQBroker broker;

        BrokerPropertySource(EmbeddedRocketMQBroker broker) {
            super(PROPERTY_SOURCE_NAME, Map.of("mqs.ons.endpoints", broker.endpoints()));
            this.broker = broker;
        }

        EmbeddedRocketMQBroker broker() {
            return this.broker;
        }

    }

    private record StopOnShutdown(EmbeddedRocketMQBroker broker) implements ApplicationListener<ApplicationEvent> {

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            if (event instanceof ContextClosedEvent || event instanceof ApplicationFailedEvent) {
                this.broker.close();
            }
        }

    }

}
