package io.github.onsdelay.consumer.autoconfigure;

import io.github.onsdelay.consumer.internal.ListenerContainerRegistry;
import io.github.onsdelay.consumer.internal.ListenerMeters;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * The listeners' meters ({@code ons.delay.*}), bound to the application's meter registries by Spring Boot, only
 * when the application has a {@link MeterRegistry}.
 */
@AutoConfiguration(after = OnsConsumerAutoConfiguration.class,
    afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, ListenerContainerRegistry.class })
public final class OnsListenerMetricsAutoConfiguration {

    @Bean
    ListenerMeters onsListenerMeters(ListenerContainerRegistry listeners) {
        return new ListenerMeters(listeners);
    }

}
