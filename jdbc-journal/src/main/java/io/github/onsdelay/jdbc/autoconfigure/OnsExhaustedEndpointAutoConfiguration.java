package io.github.onsdelay.jdbc.autoconfigure;

import io.github.onsdelay.jdbc.ExhaustedMessages;
import io.github.onsdelay.jdbc.actuate.OnsExhaustedEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code onsdelayexhausted} endpoint, with actuator, when the journal keeps exhausted messages.
 */
@AutoConfiguration(after = OnsJdbcAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(ExhaustedMessages.class)
@ConditionalOnAvailableEndpoint(OnsExhaustedEndpoint.class)
public final class OnsExhaustedEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    OnsExhaustedEndpoint onsExhaustedEndpoint(ExhaustedMessages messages) {
        return new OnsExhaustedEndpoint(messages);
    }

}
