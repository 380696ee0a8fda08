package io.github.onsdelay.sample

import io.github.onsdelay.embedded.EmbeddedRocketMQBroker
import io.github.onsdelay.embedded.TopicMessageType
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.springframework.beans.factory.annotation.Autowired
import org.springframework.boot.test.context.SpringBootTest
import org.springframework.core.env.Environment

@SpringBootTest
class SampleApplicationIntegrationTests {

    @Autowired
    lateinit var broker: EmbeddedRocketMQBroker

    @Autowired
    lateinit var environment: Environment

    @Test
    fun `starts on its embedded broker with the demo topics`() {
        assertThat(environment.getProperty("mqs.ons.endpoints")).isEqualTo(broker.endpoints())
        assertThat(broker.topicMessageType("order_cancel")).isEqualTo(TopicMessageType.DELAY)
        assertThat(broker.topicMessageType("report_push")).isEqualTo(TopicMessageType.DELAY)
        assertThat(broker.topicMessageType("coupon_close")).isEqualTo(TopicMessageType.DELAY)
    }
}
