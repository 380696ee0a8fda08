package io.github.onsdelay.jdbc.autoconfigure;

import io.github.onsdelay.jdbc.internal.OutboxMeters;
import io.github.onsdelay.jdbc.internal.OutboxRelay;
import io.github.onsdelay.producer.OnsProducerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * The outbox's meters ({@code ons.delay.outbox.*}), bound to the application's meter registries by Spring Boot,
 * only when the application has a {@link MeterRegistry}.
 */
@AutoConfiguration(after = OnsJdbcAutoConfiguration.class,
    afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, OutboxRelay.class })
public final class OnsOutboxMetricsAutoConfiguration {

    @Bean
    OutboxMeters onsOutboxMeters(OutboxRelay relay, OnsProducerRegistry producers) {
        return new OutboxMeters(relay, producers.getProducerNames());
    }

}
