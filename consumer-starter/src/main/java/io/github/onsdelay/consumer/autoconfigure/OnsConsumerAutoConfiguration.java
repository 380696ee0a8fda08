package io.github.onsdelay.consumer.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.onsdelay.consumer.actuate.OnsDelayReporter;
import io.github.onsdelay.consumer.internal.ListenerContainerRegistry;
import io.github.onsdelay.consumer.internal.OnsListenerMethodProcessor;
import io.github.onsdelay.consumer.internal.RecentListenerEvents;
import io.github.onsdelay.consumer.observation.OnsListenerObservationConvention;
import io.github.onsdelay.core.OnsConfigurationException;
import io.github.onsdelay.core.PayloadConverter;
import io.github.onsdelay.core.TimedMessageSender;
import io.github.onsdelay.producer.OnsProducerRegistry;
import io.github.onsdelay.producer.autoconfigure.OnsProducerAutoConfiguration;
import io.micrometer.observation.ObservationRegistry;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumerBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of {@code @OnsListener} methods: the {@code OnsListenerRegistry} with one container per
 * listener, started after the context is refreshed and stopped gracefully before the producer closes; each
 * handler run observed in the application's {@code ObservationRegistry}; the recent retries and exhaustions and
 * the report built from them, for operators.
 */
@AutoConfiguration(after = OnsProducerAutoConfiguration.class)
@ConditionalOnClass(SimpleConsumer.class)
@ConditionalOnBean(OnsProducerRegistry.class)
@EnableConfigurationProperties(OnsConsumerProperties.class)
public final class OnsConsumerAutoConfiguration {

    /** Longest one receive waits at the proxy; the proxy keeps it between its own bounds (5-20 s stock). */
    private static final Duration AWAIT_DURATION = Duration.ofSeconds(5);

    @Bean
    ListenerContainerRegistry onsListenerRegistry(OnsConsumerProperties properties, TimedMessageSender sender) {
        validate(properties);
        Clock clock = sender.clock();
        return new ListenerContainerRegistry(clock, properties.getShutdownTimeout());
    }

    @Bean
    RecentListenerEvents onsListenerEvents() {
        return new RecentListenerEvents();
    }

    @Bean
    OnsDelayReporter onsDelayReporter(OnsProducerRegistry producers, ListenerContainerRegistry listeners,
            RecentListenerEvents events, TimedMessageSender sender) {
        return new OnsDelayReporter(producers, listeners, events, sender);
    }

    @Bean
    OnsListenerMethodProcessor onsListenerMethodProcessor(OnsConsumerProperties properties,
            ListenerContainerRegistry registry, OnsProducerRegistry producers, TimedMessageSender sender,
            PayloadConverter converter, ClientServiceProvider provider, ClientConfiguration configuration,
            ObjectProvider<OnsSimpleConsumerBuilderCustomizer> customizers, RecentListenerEvents events,
            ObjectProvider<ObservationRegistry> observations,
            ObjectProvider<OnsListenerObservationConvention> convention) {
        validate(properties);
        OnsListenerMethodProcessor.Defaults defaults = new OnsListenerMethodProcessor.Defaults(
            properties.getConcurrency(), properties.isAutoStartup(), properties.getMaxHeldMessages(),
            properties.getMaxHeldSize().toBytes(), properties.getInvisibleDuration(), AWAIT_DURATION,
            properties.getShutdownTimeout(), properties.getDeadLetterTopic());
        return new OnsListenerMethodProcessor(defaults, new OnsListenerMethodProcessor.Infrastructure(registry, producers,
            sender, converter, () -> {
                SimpleConsumerBuilder builder = provider.newSimpleConsumerBuilder().setClientConfiguration(configuration);
                customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
                return builder;
            }, observations.getIfUnique(() -> ObservationRegistry.NOOP), convention.getIfUnique(), events));
    }

    private static void validate(OnsConsumerProperties properties) {
        List<String> problems = new ArrayList<>();
        if (properties.getConcurrency() < 1) {
            problems.add("mqs.ons.consumer.concurrency=" + properties.getConcurrency() + " must be at least 1");
        }
        if (properties.getMaxHeldMessages() < 1) {
            problems.add("mqs.ons.consumer.max-held-messages=" + properties.getMaxHeldMessages() + " must be at least 1");
        }
        if (properties.getMaxHeldSize().toBytes() < 1) {
            problems.add("mqs.ons.consumer.max-held-size=" + properties.getMaxHeldSize() + " must be positive");
        }
        if (properties.getInvisibleDuration().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("mqs.ons.consumer.invisible-duration=" + properties.getInvisibleDuration()
                + " must be at least 1s (a stock proxy accepts 10s at least)");
        }
        if (properties.getShutdownTimeout().isNegative()) {
            problems.add("mqs.ons.consumer.shutdown-timeout=" + properties.getShutdownTimeout() + " must not be negative");
        }
        String deadLetterTopic = properties.getDeadLetterTopic();
        if (deadLetterTopic != null && deadLetterTopic.isBlank()) {
            problems.add("mqs.ons.consumer.dead-letter-topic is blank: name a DELAY topic, or leave it unset");
        }
        if (!problems.isEmpty()) {
            throw new OnsConfigurationException("Consumers are misconfigured:\n - " + String.join("\n - ", problems));
        }
    }

}
