package io.github.onsdelay.consumer

import io.github.onsdelay.embedded.EmbeddedRocketMQ
import io.github.onsdelay.producer.AbstractProducer
import io.github.onsdelay.producer.SendResult
import org.assertj.core.api.Assertions.assertThat
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.Test
import org.springframework.beans.factory.annotation.Autowired
import org.springframework.boot.autoconfigure.EnableAutoConfiguration
import org.springframework.boot.context.properties.ConfigurationProperties
import org.springframework.boot.test.context.SpringBootTest
import org.springframework.context.annotation.Bean
import org.springframework.context.annotation.Configuration
import org.springframework.stereotype.Component
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList

data class CleanReportEvent(val reportId: String, val partner: String, val lines: List<String> = emptyList())

@ConfigurationProperties("mqs.ons.producers.clean-report-push")
class CleanReportPushEventProducer : AbstractProducer() {
    fun push(event: CleanReportEvent, times: Int = 0): SendResult = send(event, times)
}

/** The original's consumer, written against this library: the partner answers false until it recovers. */
@Component
class CleanReportPushListener {
    val attempts = CopyOnWriteArrayList<Pair<String, Int>>()
    val pushed = CopyOnWriteArrayList<CleanReportEvent>()

    @OnsListener(producer = "clean-report-push", group = "report-push")
    fun push(event: CleanReportEvent, context: DeliveryContext): Boolean {
        attempts += event.reportId to context.attempt
        val partnerUp = event.partner != "down" && context.attempt >= 1
        if (partnerUp) pushed += event
        return partnerUp
    }
}

@SpringBootTest(
    classes = [KotlinListenerIntegrationTests.App::class],
    properties = [
        "mqs.ons.producers.clean-report-push.topic=consumer_kotlin",
        "mqs.ons.producers.clean-report-push.tag=clean",
        "mqs.ons.producers.clean-report-push.delays=1, 1",
    ],
)
@EmbeddedRocketMQ(topics = ["consumer_kotlin"])
class KotlinListenerIntegrationTests(
    @Autowired val producer: CleanReportPushEventProducer,
    @Autowired val listener: CleanReportPushListener,
    @Autowired val exhausted: MutableList<Exhaustion>,
) {

    @Test
    fun `a kotlin listener that answers false is retried with the next attempt until it succeeds`() {
        producer.push(CleanReportEvent("r-1", "acme", listOf("a", "b")))

        await().atMost(Duration.ofSeconds(20)).until { listener.pushed.any { it.reportId == "r-1" } }
        assertThat(listener.attempts.filter { it.first == "r-1" }.map { it.second }).containsExactly(0, 1)
        assertThat(listener.pushed.single { it.reportId == "r-1" }.lines).containsExactly("a", "b")
    }

    @Test
    fun `when the delays are used up the exhaustion handler bean runs once`() {
        producer.push(CleanReportEvent("r-2", "down"))

        await().atMost(Duration.ofSeconds(20)).until { exhausted.any { it.context.businessKey.isNotEmpty() && (it.payload as CleanReportEvent).reportId == "r-2" } }
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until { true }
        val mine = exhausted.filter { (it.payload as CleanReportEvent).reportId == "r-2" }
        assertThat(mine).hasSize(1)
        assertThat(mine.single().reason).isEqualTo(Exhaustion.Reason.RETRIES_EXHAUSTED)
        assertThat(mine.single().context.attempt).isEqualTo(2)
        assertThat(listener.attempts.filter { it.first == "r-2" }.map { it.second }).containsExactly(0, 1, 2)
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    class App {
        @Bean
        fun cleanReportPushEventProducer() = CleanReportPushEventProducer()

        @Bean
        fun cleanReportPushListener() = CleanReportPushListener()

        @Bean
        fun exhausted(): MutableList<Exhaustion> = CopyOnWriteArrayList()

        @Bean
        fun exhaustionHandler(exhausted: MutableList<Exhaustion>) = ExhaustionHandler { exhausted += it }
    }
}
