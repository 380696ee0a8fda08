package io.github.onsdelay.producer

import io.github.onsdelay.core.autoconfigure.OnsClientAutoConfiguration
import io.github.onsdelay.core.autoconfigure.OnsConnectionDetails
import io.github.onsdelay.embedded.EmbeddedRocketMQ
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker
import io.github.onsdelay.embedded.EmbeddedRocketMQConnectionDetails
import io.github.onsdelay.producer.autoconfigure.OnsProducerAutoConfiguration
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.context.properties.ConfigurationProperties
import org.springframework.boot.test.context.runner.ApplicationContextRunner
import org.springframework.stereotype.Component
import java.time.Duration

data class CleanReportEvent(val reportId: String, val partner: String)

/** Exactly as the original declared it, in Kotlin. */
@Component
@ConfigurationProperties("mqs.ons.producers.clean-report-push")
class CleanReportPushEventProducer : AbstractProducer() {
    fun push(event: CleanReportEvent, attempt: Int = 0): SendResult = send(event, attempt)
}

@EmbeddedRocketMQ(topics = ["report_push"])
class KotlinProducerAutoConfigurationTests {

    @Test
    fun `a kotlin subclass covers its key, sends, and no duplicate producer appears`(broker: EmbeddedRocketMQBroker) {
        ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(OnsClientAutoConfiguration::class.java, OnsProducerAutoConfiguration::class.java))
            .withBean(OnsConnectionDetails::class.java, { EmbeddedRocketMQConnectionDetails(broker) })
            .withBean(CleanReportPushEventProducer::class.java)
            .withPropertyValues(
                "mqs.ons.producers.clean-report-push.topic=report_push",
                "mqs.ons.producers.clean-report-push.tag=clean",
                "mqs.ons.producers.clean-report-push.delays=1h, 3h, 1d, 3d",
            )
            .run { context ->
                assertThat(context).hasNotFailed()
                assertThat(context.getBeansOfType(DelayProducer::class.java)).hasSize(1)
                val producer = context.getBean(CleanReportPushEventProducer::class.java)
                assertThat(producer.name).isEqualTo("clean-report-push")
                assertThat(producer.settings.tag).isEqualTo("clean")
                // The embedded server's own precision (100 ms) sets the default lead.
                assertThat(producer.settings.deliveryLead).isEqualTo(Duration.ofMillis(600))
                assertThat(producer.schedule.delays)
                    .containsExactly(Duration.ofHours(1), Duration.ofHours(3), Duration.ofDays(1), Duration.ofDays(3))
                assertThat(producer.push(CleanReportEvent("r-1", "acme")).isSent).isTrue()
            }
    }
}
