package io.github.onsdelay.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.github.onsdelay.core.autoconfigure.OnsConnectionDetails;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

@SpringJUnitConfig(EmbeddedRocketMQSpringIntegrationTests.Config.class)
@EmbeddedRocketMQ(topics = "spring_timed", groups = "spring-group")
class EmbeddedRocketMQSpringIntegrationTests {

    @Autowired
    Environment environment;

    @Autowired
    EmbeddedRocketMQBroker brokerBean;

    @Autowired
    OnsConnectionDetails connectionDetails;

    @Test
    void contextReceivesTheServerAsBrokerAndConnectionDetails(EmbeddedRocketMQBroker broker) {
        assertThat(brokerBean).isSameAs(broker);
        assertThat(broker.topicMessageType("spring_timed")).isEqualTo(TopicMessageType.DELAY);
        assertThat(connectionDetails.getEndpoints()).containsExactly(broker.endpoints());
        assertThat(connectionDetails.getTimerPrecision()).isEqualTo(Duration.ofMillis(100));
        assertThat(connectionDetails.getMaxDelay()).isEqualTo(Duration.ofDays(1));
        // The connection travels as a bean: the mqs.ons properties are left alone.
        assertThat(environment.getProperty("mqs.ons.endpoints")).isNull();
    }

    @Nested
    @SpringJUnitConfig(EmbeddedRocketMQSpringIntegrationTests.Config.class)
    @EmbeddedRocketMQ(topics = "spring_timed", endpointsProperty = "other.client.endpoints")
    class WithAnEndpointsProperty {

        @Autowired
        Environment environment;

        @Test
        void thePropertyNamedGetsTheEndpointToo(EmbeddedRocketMQBroker broker) {
            assertThat(environment.getProperty("other.client.endpoints")).isEqualTo(broker.endpoints());
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

    }

}
