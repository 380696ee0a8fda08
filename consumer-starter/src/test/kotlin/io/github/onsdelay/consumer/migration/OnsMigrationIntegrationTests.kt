package io.github.onsdelay.consumer.migration

import io.github.onsdelay.consumer.DeliveryContext
import io.github.onsdelay.consumer.Exhaustion
import io.github.onsdelay.consumer.ExhaustionHandler
import io.github.onsdelay.consumer.OnsListener
import io.github.onsdelay.embedded.EmbeddedRocketMQ
import io.github.onsdelay.producer.AbstractProducer
import io.github.onsdelay.producer.SendResult
import io.github.onsdelay.test.TestApplication
import io.github.onsdelay.test.Tolerances
import org.assertj.core.api.Assertions.assertThat
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.Test
import org.springframework.beans.factory.annotation.Autowired
import org.springframework.boot.context.properties.ConfigurationProperties
import org.springframework.context.annotation.Bean
import org.springframework.context.annotation.Configuration
import org.springframework.boot.test.context.SpringBootTest
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit
import java.util.concurrent.CopyOnWriteArrayList

/** The original's message: `times` counts the pushes that already failed. */
data class CleanReportPushEventMessage(val reportId: String, val times: Int = 0)

/**
 * The original ONS producer, ported: it keeps its own `delaySecondList` field and its `sendMessage(messageBody)`
 * that reads `times`; the only change is the base class and `sendAfterFailures` where it built the message.
 */
@ConfigurationProperties("mqs.ons.producers.xxx-producer")
class CleanReportPushEventProducer : AbstractProducer() {
    lateinit var delaySecondList: List<Long>

    fun sendMessage(messageBody: CleanReportPushEventMessage): SendResult = sendAfterFailures(messageBody, messageBody.times)
}

/** The partner is down: every push fails. */
class PartnerPusher {
    data class Push(val reportId: String, val attempt: Int, val dueAt: Instant, val started: Instant)

    val pushes = CopyOnWriteArrayList<Push>()

    @OnsListener(producer = "xxx-producer", group = "clean-report-pusher")
    fun push(message: CleanReportPushEventMessage, context: DeliveryContext) {
        pushes += Push(message.reportId, context.attempt, context.dueAt, Instant.now())
        throw IllegalStateException("partner refused ${message.reportId}")
    }

    fun of(reportId: String) = pushes.filter { it.reportId == reportId }
}

/** The original's yml keys, as they were (short delays so that the test runs in seconds). */
@SpringBootTest(
    classes = [TestApplication::class, OnsMigrationIntegrationTests.Beans::class],
    properties = [
        "mqs.ons.producers.xxx-producer.producer-id=PID_CLEAN_REPORT_PUSH",
        "mqs.ons.producers.xxx-producer.topic=consumer_migration",
        "mqs.ons.producers.xxx-producer.tag=clean_report",
        "mqs.ons.producers.xxx-producer.timeout-millis=3000",
        "mqs.ons.producers.xxx-producer.delay-send-time-mills=500",
        "mqs.ons.producers.xxx-producer.delay-second-list=1, 2",
    ],
)
@EmbeddedRocketMQ(topics = ["consumer_migration"])
class OnsMigrationIntegrationTests(
    @param:Autowired val producer: CleanReportPushEventProducer,
    @param:Autowired val pusher: PartnerPusher,
    @param:Autowired val exhausted: MutableList<Exhaustion>,
) {

    @Test
    fun `attempts are spaced as the original's list says and exhaust once`() {
        val before = Instant.now().truncatedTo(ChronoUnit.MILLIS)
        val sent = producer.sendMessage(CleanReportPushEventMessage("r-list"), "clean_report")
        val after = Instant.now()
        assertThat(sent.isSent).isTrue()
        // delay-send-time-mills: attempt 0 is due 500 ms after the send.
        assertThat(sent.dueAt).isBetween(before.plusMillis(500), after.plusMillis(500))

        await().atMost(Duration.ofSeconds(20)).until { exhaustedOf("r-list") == 1 }
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until { exhaustedOf("r-list") == 1 }
        val pushes = pusher.of("r-list")
        assertThat(pushes.map { it.attempt }).containsExactly(0, 1, 2)
        assertThat(pushes[0].dueAt).isEqualTo(sent.dueAt)
        // Then delay-second-list[0] and [1] after each failure.
        spacing(pushes[0], pushes[1], Duration.ofSeconds(1))
        spacing(pushes[1], pushes[2], Duration.ofSeconds(2))
    }

    @Test
    fun `the original's times is the number of failed pushes - times 0 is the first retry, a list entry later`() {
        val before = Instant.now().truncatedTo(ChronoUnit.MILLIS)
        val sent = producer.sendMessage(CleanReportPushEventMessage("r-times", times = 0))
        assertThat(sent.attempt).isEqualTo(1)
        assertThat(sent.dueAt).isAfterOrEqualTo(before.plusSeconds(1))

        await().atMost(Duration.ofSeconds(20)).until { exhaustedOf("r-times") == 1 }
        val pushes = pusher.of("r-times")
        assertThat(pushes.map { it.attempt }).containsExactly(1, 2)
        assertThat(pushes[0].started).isAfterOrEqualTo(before.plusSeconds(1))
        spacing(pushes[0], pushes[1], Duration.ofSeconds(2))

        // Past the list the original returned without sending; so does this.
        assertThat(producer.sendMessage(CleanReportPushEventMessage("r-done", times = 2)).isSent).isFalse()
    }

    private fun spacing(previous: PartnerPusher.Push, next: PartnerPusher.Push, delay: Duration) {
        // The next attempt is due the delay after the failure, which came after the previous start; due times are
        // whole milliseconds, so it may fall up to 1 ms before previous.started + delay, but never runs before it.
        assertThat(next.dueAt).isAfterOrEqualTo(previous.started.truncatedTo(ChronoUnit.MILLIS).plus(delay))
        assertThat(next.started).isAfterOrEqualTo(next.dueAt)
        val between = Duration.between(previous.started, next.started)
        assertThat(between).isLessThan(delay.plus(Tolerances.HANDLER_LATENESS))
    }

    private fun exhaustedOf(reportId: String) =
        exhausted.count { (it.payload as? CleanReportPushEventMessage)?.reportId == reportId }

    @Configuration(proxyBeanMethods = false)
    class Beans {
        @Bean
        fun cleanReportPushEventProducer() = CleanReportPushEventProducer()

        @Bean
        fun partnerPusher() = PartnerPusher()

        @Bean
        fun exhausted(): MutableList<Exhaustion> = CopyOnWriteArrayList()

        @Bean
        fun exhaustionHandler(exhausted: MutableList<Exhaustion>) = ExhaustionHandler { exhausted += it }
    }
}
