package io.github.onsdelay.consumer.autoconfigure;

import io.github.onsdelay.consumer.actuate.OnsListenersHealthContributor;
import io.github.onsdelay.consumer.internal.ListenerContainerRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The health of each listener container (as {@code onsDelayListeners/<id>}), when Spring Boot's health support
 * is there; {@code management.health.onsdelay.enabled=false} turns it off with the client's.
 */
@AutoConfiguration(after = OnsConsumerAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(ListenerContainerRegistry.class)
@ConditionalOnEnabledHealthIndicator("onsdelay")
public final class OnsListenersHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "onsDelayListenersHealthContributor")
    OnsListenersHealthContributor onsDelayListenersHealthContributor(ListenerContainerRegistry listeners) {
        return new OnsListenersHealthContributor(listeners);
    }

}
