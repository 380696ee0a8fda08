package io.github.onsdelay.core.autoconfigure;

import java.time.Duration;

import io.github.onsdelay.core.actuate.OnsClientHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The health of the RocketMQ client (as {@code onsDelayClient}), when Spring Boot's health support is there.
 */
@AutoConfiguration(after = OnsClientAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(OnsConnectionDetails.class)
@ConditionalOnEnabledHealthIndicator("onsdelay")
public final class OnsClientHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "onsDelayClientHealthIndicator")
    OnsClientHealthIndicator onsDelayClientHealthIndicator(OnsConnectionDetails connection, OnsProperties properties) {
        Duration timeout = properties.getRequestTimeout().compareTo(Duration.ofSeconds(1)) < 0
            ? properties.getRequestTimeout() : Duration.ofSeconds(1);
        return new OnsClientHealthIndicator(connection, timeout);
    }

}
