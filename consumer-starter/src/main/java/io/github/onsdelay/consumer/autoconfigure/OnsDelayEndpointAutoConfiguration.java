package io.github.onsdelay.consumer.autoconfigure;

import io.github.onsdelay.consumer.actuate.OnsDelayEndpoint;
import io.github.onsdelay.consumer.actuate.OnsDelayReporter;
import io.github.onsdelay.consumer.internal.ListenerContainerRegistry;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code onsdelay} Actuator endpoint, when Actuator is there and the endpoint is available (enabled and
 * exposed, as every endpoint).
 */
@AutoConfiguration(after = OnsConsumerAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(ListenerContainerRegistry.class)
@ConditionalOnAvailableEndpoint(OnsDelayEndpoint.class)
public final class OnsDelayEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    OnsDelayEndpoint onsDelayEndpoint(OnsDelayReporter reporter, ListenerContainerRegistry listeners) {
        return new OnsDelayEndpoint(reporter, listeners);
    }

}
