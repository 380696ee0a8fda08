package io.github.onsdelay.consumer.internal

import io.github.onsdelay.consumer.DeliveryContext
import io.github.onsdelay.consumer.Exhaustion
import io.github.onsdelay.producer.Fastjson2PayloadConverter
import io.github.onsdelay.producer.OnsMessageProperties
import io.github.onsdelay.producer.OnsSendException
import io.github.onsdelay.producer.RetrySchedule
import io.github.onsdelay.producer.SendResult
import io.github.onsdelay.producer.internal.DelayMessageSender
import io.github.onsdelay.producer.internal.OutgoingMessage
import io.mockk.every
import io.mockk.mockk
import io.mockk.slot
import io.mockk.verify
import org.apache.rocketmq.client.apis.consumer.ConsumeResult
import org.apache.rocketmq.client.apis.message.MessageId
import org.apache.rocketmq.client.apis.message.MessageView
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import java.nio.ByteBuffer
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneOffset
import java.util.Optional

class DeliveryProcessorTests {

    data class Push(val id: String)

    class Handler {
        val calls = mutableListOf<Pair<Push, DeliveryContext>>()
        var outcome: () -> Boolean = { true }

        fun handle(push: Push, context: DeliveryContext): Boolean {
            calls += push to context
            return outcome()
        }
    }

    private val now = Instant.parse("2026-05-01T10:00:00Z")
    private val handler = Handler()
    private val sender = mockk<DelayMessageSender>()
    private val exhausted = mutableListOf<Exhaustion>()
    private var exhaustionFails = false
    private val processor: DeliveryProcessor

    init {
        every { sender.converter() } returns Fastjson2PayloadConverter()
        every { sender.clock() } returns Clock.fixed(now, ZoneOffset.UTC)
        val method = ListenerMethod.of(handler, Handler::class.java,
            Handler::class.java.getMethod("handle", Push::class.java, DeliveryContext::class.java))
        processor = DeliveryProcessor(method, "partner-push", "push-group",
            RetrySchedule.of(Duration.ZERO, Duration.ofHours(1), Duration.ofHours(3)), Duration.ofSeconds(3), sender) {
            if (exhaustionFails) throw IllegalStateException("handler down")
            exhausted += it
        }
    }

    private fun message(
        attempt: Int = 0,
        body: String = """{"id":"p-1"}""",
        dueAt: Instant = now.minusMillis(50),
        extra: Map<String, String> = emptyMap(),
    ): MessageView = mockk {
        every { properties } returns mapOf(
            OnsMessageProperties.ATTEMPT to attempt.toString(),
            OnsMessageProperties.DUE_AT to dueAt.toEpochMilli().toString(),
            OnsMessageProperties.FIRST_SENT_AT to now.minusSeconds(3600).toEpochMilli().toString(),
            OnsMessageProperties.PRODUCER to "partner-push",
            OnsMessageProperties.BUSINESS_KEY to "key-1",
        ) + extra
        every { this@mockk.body } returns ByteBuffer.wrap(body.toByteArray())
        every { topic } returns "report_push"
        every { tag } returns Optional.of("clean")
        every { keys } returns listOf("key-1")
        every { messageId } returns mockk<MessageId> { every { this@mockk.toString() } returns "m-1" }
        every { deliveryAttempt } returns 1
        every { bornTimestamp } returns now.toEpochMilli()
        every { deliveryTimestamp } returns Optional.of(dueAt.toEpochMilli())
    }

    private fun acceptSends(): MutableList<OutgoingMessage> {
        val sent = mutableListOf<OutgoingMessage>()
        val captured = slot<OutgoingMessage>()
        every { sender.sendAndWait(capture(captured), any()) } answers {
            sent += captured.captured
            SendResult(true, "r", captured.captured.attempt, null, null, null, null)
        }
        return sent
    }

    @Test
    fun `success is acknowledged and nothing is sent`() {
        assertThat(processor.process(message())).isEqualTo(ConsumeResult.SUCCESS)

        val (push, context) = handler.calls.single()
        assertThat(push).isEqualTo(Push("p-1"))
        assertThat(context.attempt).isZero()
        assertThat(context.remainingRetries).isEqualTo(2)
        assertThat(context.businessKey).isEqualTo("key-1")
        verify(exactly = 0) { sender.sendAndWait(any(), any()) }
    }

    @Test
    fun `failure sends the next attempt to this group only, due after the next delay`() {
        val sent = acceptSends()
        handler.outcome = { false }

        assertThat(processor.process(message(attempt = 1))).isEqualTo(ConsumeResult.SUCCESS)

        val retry = sent.single()
        assertThat(retry.attempt).isEqualTo(2)
        assertThat(retry.dueAt).isEqualTo(now.plus(Duration.ofHours(3)))
        assertThat(retry.targetGroup).isEqualTo("push-group")
        assertThat(retry.businessKey).isEqualTo("key-1")
        assertThat(retry.tag).isEqualTo("clean")
        assertThat(retry.firstSentAt).isEqualTo(now.minusSeconds(3600))
    }

    @Test
    fun `a refused re-send leaves the delivery unacknowledged`() {
        every { sender.sendAndWait(any(), any()) } throws
            OnsSendException("partner-push", "report_push", "down", IllegalStateException())
        handler.outcome = { throw IllegalStateException("partner 503") }

        assertThat(processor.process(message())).isEqualTo(ConsumeResult.FAILURE)
        assertThat(exhausted).isEmpty()
    }

    @Test
    fun `the last attempt failing exhausts the message once, with the last error`() {
        handler.outcome = { throw IllegalStateException("partner 503") }

        assertThat(processor.process(message(attempt = 2))).isEqualTo(ConsumeResult.SUCCESS)

        assertThat(exhausted.single().reason).isEqualTo(Exhaustion.Reason.RETRIES_EXHAUSTED)
        assertThat(exhausted.single().lastError).hasMessage("partner 503")
        assertThat(exhausted.single().payload).isEqualTo(Push("p-1"))
        verify(exactly = 0) { sender.sendAndWait(any(), any()) }
    }

    @Test
    fun `an exhaustion handler that fails leaves the delivery unacknowledged`() {
        handler.outcome = { false }
        exhaustionFails = true

        assertThat(processor.process(message(attempt = 2))).isEqualTo(ConsumeResult.FAILURE)
    }

    @Test
    fun `poison goes to exhaustion without running the handler`() {
        assertThat(processor.process(message(body = "[1, 2"))).isEqualTo(ConsumeResult.SUCCESS)

        assertThat(handler.calls).isEmpty()
        assertThat(exhausted.single().reason).isEqualTo(Exhaustion.Reason.POISON)
        assertThat(exhausted.single().payload).isNull()
    }

    @Test
    fun `unreadable ons properties are poison too`() {
        assertThat(processor.process(message(extra = mapOf(OnsMessageProperties.ATTEMPT to "x")))).isEqualTo(ConsumeResult.SUCCESS)

        assertThat(handler.calls).isEmpty()
        assertThat(exhausted.single().lastError).hasMessageContaining("ons_delay_attempt='x' is not a number")
    }

    @Test
    fun `a retry addressed to another group is acknowledged and left alone`() {
        assertThat(processor.process(message(extra = mapOf(OnsMessageProperties.TARGET_GROUP to "other")))).isEqualTo(ConsumeResult.SUCCESS)

        assertThat(handler.calls).isEmpty()
        assertThat(exhausted).isEmpty()
    }

    @Test
    fun `a delivery a fraction of a millisecond early waits until the clock reaches its due time`() {
        // Messages carry milliseconds: a due time 2 ms ahead, which the broker might have delivered at once.
        val dueAt = Instant.ofEpochMilli(System.currentTimeMillis() + 2)
        val waiting = DeliveryProcessor(
            ListenerMethod.of(handler, Handler::class.java,
                Handler::class.java.getMethod("handle", Push::class.java, DeliveryContext::class.java)),
            "partner-push", "push-group", RetrySchedule.of(Duration.ZERO), Duration.ofSeconds(3),
            mockk<DelayMessageSender> {
                every { converter() } returns Fastjson2PayloadConverter()
                every { clock() } returns Clock.systemUTC()
            },
        ) { exhausted += it }

        assertThat(waiting.process(message(dueAt = dueAt))).isEqualTo(ConsumeResult.SUCCESS)

        assertThat(Instant.now()).isAfterOrEqualTo(dueAt)
        assertThat(handler.calls).hasSize(1)
    }

    @Test
    fun `a message not yet due is sent on as a hop, never handled early`() {
        val sent = acceptSends()

        assertThat(processor.process(message(attempt = 1, dueAt = now.plus(Duration.ofDays(2))))).isEqualTo(ConsumeResult.SUCCESS)

        assertThat(handler.calls).isEmpty()
        assertThat(sent.single().attempt).isEqualTo(1)
        assertThat(sent.single().dueAt).isEqualTo(now.plus(Duration.ofDays(2)))
    }
}
