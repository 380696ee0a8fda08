package io.github.onsdelay.jdbc.autoconfigure;

import io.github.onsdelay.jdbc.ParkedSends;
import io.github.onsdelay.jdbc.actuate.OnsParkedEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code onsdelayparked} endpoint, with actuator, when the journal's outbox is on.
 */
@AutoConfiguration(after = OnsJdbcAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(ParkedSends.class)
@ConditionalOnAvailableEndpoint(OnsParkedEndpoint.class)
public final class OnsParkedEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    OnsParkedEndpoint onsParkedEndpoint(ParkedSends parked) {
        return new OnsParkedEndpoint(parked);
    }

}
