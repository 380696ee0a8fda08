package io.github.onsdelay.core

import io.github.onsdelay.test.RecordingProducer
import org.apache.rocketmq.client.apis.ClientServiceProvider
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneOffset
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException

class TimedMessageSenderTests {

    private val now = Instant.parse("2026-03-01T08:00:00Z")
    private val rocketmq = RecordingProducer()
    private val sent get() = rocketmq.sent()
    private val lead = Duration.ofMillis(600)

    private fun sender(maxDelay: Duration = Duration.ofDays(1), hops: Boolean = true) =
        TimedMessageSender(rocketmq, ClientServiceProvider.loadService(), Clock.fixed(now, ZoneOffset.UTC), maxDelay, hops)

    private fun message(dueAt: Instant, attempt: Int = 0, targetGroup: String? = null) = TimedMessage(
        "clean-report-push", "report_push", "clean", "report-1", "{}".toByteArray(), attempt, dueAt,
        now.minusSeconds(60), targetGroup, mapOf("traceparent" to "00-abc-def-01"),
    )

    @Test
    fun `the broker releases a message its lead before it is due`() {
        val dueAt = now.plusSeconds(30)

        val receipt = sender().send(message(dueAt), lead, Duration.ofSeconds(3))

        assertThat(sent.single().deliveryTimestamp).hasValue(dueAt.minus(lead).toEpochMilli())
        assertThat(receipt.deliverAt).isEqualTo(dueAt.minus(lead))
        assertThat(receipt.dueAt).isEqualTo(dueAt)
        assertThat(receipt.hop).isFalse()
        assertThat(receipt.messageId).isEqualTo("msg-1")
        assertThat(receipt.recallHandle).isEqualTo("recall-1")
    }

    @Test
    fun `a message due within its lead is released now, not in the past`() {
        val sender = sender()

        assertThat(sender.deliveryTime(now.plusMillis(200), lead, now)).isEqualTo(now)
        assertThat(sender.deliveryTime(now.minusSeconds(5), lead, now)).isEqualTo(now)
        assertThat(sender.deliveryTime(now.plusSeconds(5), Duration.ZERO, now)).isEqualTo(now.plusSeconds(5))
    }

    @Test
    fun `a delay longer than max delay travels as a hop capped at max delay`() {
        val sender = sender(maxDelay = Duration.ofHours(6))

        assertThat(sender.deliveryTime(now.plus(Duration.ofHours(5)), lead, now)).isEqualTo(now.plus(Duration.ofHours(5)).minus(lead))
        assertThat(sender.deliveryTime(now.plus(Duration.ofHours(7)), lead, now)).isEqualTo(now.plus(Duration.ofHours(6)))
        val receipt = sender.send(message(now.plus(Duration.ofDays(3))), lead, Duration.ofSeconds(3))
        assertThat(receipt.hop).isTrue()
        assertThat(sent.single().deliveryTimestamp).hasValue(now.plus(Duration.ofHours(6)).toEpochMilli())
        assertThat(sent.single().properties[OnsMessageProperties.DUE_AT])
            .isEqualTo(now.plus(Duration.ofDays(3)).toEpochMilli().toString())
    }

    @Test
    fun `with hops off, a delay longer than max delay fails naming the properties`() {

        assertThatThrownBy { sender(maxDelay = Duration.ofHours(6), hops = false).send(message(now.plus(Duration.ofDays(1))), lead, Duration.ofSeconds(3)) }
            .isInstanceOf(OnsSendException::class.java)
            .hasMessageContaining("longer than mqs.ons.max-delay=PT6H with mqs.ons.hops-enabled=false")
        assertThat(sent).isEmpty()
    }

    @Test
    fun `every message carries the documented properties, its headers and its target group`() {
        val dueAt = now.plusSeconds(3600)

        sender().send(message(dueAt, attempt = 2, targetGroup = "report-push"), lead, Duration.ofSeconds(3))

        val message = sent.single()
        assertThat(message.topic).isEqualTo("report_push")
        assertThat(message.tag).hasValue("clean")
        assertThat(message.keys).containsExactly("report-1")
        assertThat(message.properties).containsAllEntriesOf(
            mapOf(
                OnsMessageProperties.ATTEMPT to "2",
                OnsMessageProperties.DUE_AT to dueAt.toEpochMilli().toString(),
                OnsMessageProperties.FIRST_SENT_AT to now.minusSeconds(60).toEpochMilli().toString(),
                OnsMessageProperties.PRODUCER to "clean-report-push",
                OnsMessageProperties.BUSINESS_KEY to "report-1",
                OnsMessageProperties.TARGET_GROUP to "report-push",
                "traceparent" to "00-abc-def-01",
            )
        )
    }

    @Test
    fun `a refused send fails naming producer, topic and cause, sync and async`() {
        rocketmq.answering { CompletableFuture.failedFuture(IllegalStateException("broker full")) }

        assertThatThrownBy { sender().send(message(now.plusSeconds(5)), lead, Duration.ofSeconds(3)) }
            .isInstanceOf(OnsSendException::class.java)
            .hasMessage("Producer 'clean-report-push' could not send to topic 'report_push': IllegalStateException: broker full")
            .hasRootCauseMessage("broker full")
        assertThatThrownBy { sender().sendAsync(message(now.plusSeconds(5)), lead, Duration.ofSeconds(3)).get() }
            .isInstanceOf(ExecutionException::class.java)
            .hasCauseInstanceOf(OnsSendException::class.java)
    }

    @Test
    fun `a send the broker never answers fails after the send timeout`() {
        rocketmq.answering { CompletableFuture() }

        assertThatThrownBy { sender().send(message(now.plusSeconds(5)), lead, Duration.ofMillis(200)) }
            .isInstanceOf(OnsSendException::class.java)
            .hasMessageEndingWith("no answer from the broker within the send timeout of 200 ms")
        assertThatThrownBy { sender().sendAsync(message(now.plusSeconds(5)), lead, Duration.ofMillis(200)).get() }
            .hasCauseInstanceOf(OnsSendException::class.java)
            .hasMessageEndingWith("no answer from the broker within the send timeout of 200 ms")
    }
}
