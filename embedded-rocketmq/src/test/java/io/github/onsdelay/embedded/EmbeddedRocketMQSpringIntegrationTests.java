package io.github.onsdelay.embedded;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void contextReceivesTheEndpointAndTheBroker(EmbeddedRocketMQBroker broker) {
        assertThat(environment.getProperty("mqs.ons.endpoints")).isEqualTo(broker.endpoints());
        assertThat(brokerBean).isSameAs(broker);
        assertThat(broker.topicMessageType("spring_timed")).isEqualTo(TopicMessageType.DELAY);
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

    }

}
