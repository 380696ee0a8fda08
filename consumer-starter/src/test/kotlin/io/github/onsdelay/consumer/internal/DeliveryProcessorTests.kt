package io.github.onsdelay.consumer.internal

import io.github.onsdelay.consumer.DeliveryContext
import io.github.onsdelay.consumer.Exhaustion
import io.github.onsdelay.core.Fastjson2PayloadConverter
import io.github.onsdelay.core.OnsMessageProperties
import io.github.onsdelay.core.OnsSendException
import io.github.onsdelay.core.RetrySchedule
import io.github.onsdelay.core.TimedMessage
import io.github.onsdelay.core.TimedMessageReceipt
import io.github.onsdelay.core.TimedMessageSender
import io.github.onsdelay.producer.ProducerSettings
import io.mockk.every
import io.mockk.mockk
import io.mockk.slot
import io.mockk.verify
import org.apache.rocketmq.client.apis.message.MessageId
import org.apache.rocketmq.client.apis.message.MessageView
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.springframework.beans.factory.support.StaticListableBeanFactory
import java.nio.ByteBuffer
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneOffset
import java.util.Optional
import java.util.concurrent.CompletableFuture

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
    private val sender = mockk<TimedMessageSender>()
    private val exhausted = mutableListOf<Exhaustion>()
    private var exhaustionFails = false
    private val counters = ContainerCounters()
    private val lead = Duration.ofMillis(600)
    private val settings = ProducerSettings("partner-push", "report_push", "clean",
        RetrySchedule.of(Duration.ZERO, Duration.ofHours(1), Duration.ofHours(3)), Duration.ofSeconds(3), lead)

    private fun processor(deadLetterTopic: String? = null): DeliveryProcessor {
        every { sender.clock() } returns Clock.fixed(now, ZoneOffset.UTC)
        val beans = StaticListableBeanFactory().apply { addBean("handler", handler) }
        val invoker = HandlerInvoker.of("handler", beans, Handler::class.java,
            Handler::class.java.getMethod("handle", Push::class.java, DeliveryContext::class.java))
        return DeliveryProcessor(invoker, settings, "push-group", sender, Fastjson2PayloadConverter(), {
            if (exhaustionFails) throw IllegalStateException("handler down")
            exhausted += it
        }, deadLetterTopic, Runnable::run, counters)
    }

    private fun message(
        attempt: Int = 0,
        body: String = """{"id":"p-1"}""",
        dueAt: Instant = now.minusMillis(50),
        extra: Map<String, String> = emptyMap(),
    ): HeldMessage {
        val properties = mapOf(
            OnsMessageProperties.ATTEMPT to attempt.toString(),
            OnsMessageProperties.DUE_AT to dueAt.toEpochMilli().toString(),
            OnsMessageProperties.FIRST_SENT_AT to now.minusSeconds(3600).toEpochMilli().toString(),
            OnsMessageProperties.PRODUCER to "partner-push",
            OnsMessageProperties.BUSINESS_KEY to "key-1",
        ) + extra
        val view = mockk<MessageView> {
            every { this@mockk.properties } returns properties
            every { this@mockk.body } returns ByteBuffer.wrap(body.toByteArray())
            every { topic } returns "report_push"
            every { tag } returns Optional.of("clean")
            every { keys } returns listOf("key-1")
            every { messageId } returns mockk<MessageId> { every { this@mockk.toString() } returns "m-1" }
            every { deliveryAttempt } returns 1
            every { bornTimestamp } returns now.toEpochMilli()
            every { deliveryTimestamp } returns Optional.of(dueAt.minus(lead).toEpochMilli())
        }
        val (delivery, unreadable) = try {
            DeliveryReader.read(view, properties, "partner-push", now) to null
        } catch (ex: RuntimeException) {
            null to ex
        }
        return HeldMessage(view, properties, now, delivery, unreadable, 0L)
    }

    private fun acceptSends(): MutableList<TimedMessage> {
        val sent = mutableListOf<TimedMessage>()
        val captured = slot<TimedMessage>()
        every { sender.send(capture(captured), any(), any()) } answers {
            sent += captured.captured
            TimedMessageReceipt("r", captured.captured.dueAt, captured.captured.dueAt, false, null)
        }
        return sent
    }

    @Test
    fun `success is acknowledged and nothing is sent`() {
        assertThat(processor().process(message()).join()).isEqualTo(Disposition.ACKNOWLEDGE)

        val (push, context) = handler.calls.single()
        assertThat(push).isEqualTo(Push("p-1"))
        assertThat(context.attempt).isZero()
        assertThat(context.remainingRetries).isEqualTo(2)
        assertThat(context.businessKey).isEqualTo("key-1")
        assertThat(counters.snapshot().succeeded).isEqualTo(1)
        verify(exactly = 0) { sender.send(any(), any(), any()) }
    }

    @Test
    fun `failure sends the next attempt to this group only, due after the next delay, with the producer's lead`() {
        val sent = acceptSends()
        handler.outcome = { false }

        assertThat(processor().process(message(attempt = 1)).join()).isEqualTo(Disposition.ACKNOWLEDGE)

        val retry = sent.single()
        assertThat(retry.attempt).isEqualTo(2)
        assertThat(retry.dueAt).isEqualTo(now.plus(Duration.ofHours(3)))
        assertThat(retry.targetGroup).isEqualTo("push-group")
        assertThat(retry.businessKey).isEqualTo("key-1")
        assertThat(retry.tag).isEqualTo("clean")
        assertThat(retry.firstSentAt).isEqualTo(now.minusSeconds(3600))
        verify { sender.send(any(), lead, Duration.ofSeconds(3)) }
        assertThat(counters.snapshot().retried).isEqualTo(1)
    }

    @Test
    fun `a refused re-send gives the delivery back to be delivered again`() {
        every { sender.send(any(), any(), any()) } throws
            OnsSendException("partner-push", "report_push", "down", IllegalStateException())
        handler.outcome = { throw IllegalStateException("partner 503") }

        val disposition = processor().process(message()).join()

        assertThat(disposition.acknowledge).isFalse()
        assertThat(disposition.redeliverAfter).isEqualTo(Duration.ofSeconds(1))
        assertThat(exhausted).isEmpty()
    }

    @Test
    fun `the last attempt failing exhausts the message once, with the last error`() {
        handler.outcome = { throw IllegalStateException("partner 503") }

        assertThat(processor().process(message(attempt = 2)).join()).isEqualTo(Disposition.ACKNOWLEDGE)

        assertThat(exhausted.single().reason).isEqualTo(Exhaustion.Reason.RETRIES_EXHAUSTED)
        assertThat(exhausted.single().lastError).hasMessage("partner 503")
        assertThat(exhausted.single().payload).isEqualTo(Push("p-1"))
        verify(exactly = 0) { sender.send(any(), any(), any()) }
    }

    @Test
    fun `exhaustion is forwarded to the dead-letter topic first`() {
        val sent = acceptSends()
        handler.outcome = { false }

        assertThat(processor(deadLetterTopic = "report_dlq").process(message(attempt = 2)).join())
            .isEqualTo(Disposition.ACKNOWLEDGE)

        val forwarded = sent.single()
        assertThat(forwarded.topic).isEqualTo("report_dlq")
        assertThat(forwarded.businessKey).isEqualTo("key-1")
        assertThat(String(forwarded.body)).isEqualTo("""{"id":"p-1"}""")
        assertThat(exhausted).hasSize(1)
    }

    @Test
    fun `an exhaustion handler that fails gives the delivery back`() {
        handler.outcome = { false }
        exhaustionFails = true

        assertThat(processor().process(message(attempt = 2)).join().acknowledge).isFalse()
    }

    @Test
    fun `an Error from a handler gives the delivery back and is not retried as the next attempt`() {
        handler.outcome = { throw StackOverflowError("deep") }

        val disposition = processor().process(message()).join()

        assertThat(disposition.acknowledge).isFalse()
        verify(exactly = 0) { sender.send(any(), any(), any()) }
        assertThat(exhausted).isEmpty()
    }

    @Test
    fun `poison goes to exhaustion without running the handler`() {
        assertThat(processor().process(message(body = "[1, 2")).join()).isEqualTo(Disposition.ACKNOWLEDGE)

        assertThat(handler.calls).isEmpty()
        assertThat(exhausted.single().reason).isEqualTo(Exhaustion.Reason.POISON)
        assertThat(exhausted.single().payload).isNull()
        assertThat(counters.snapshot().poison).isEqualTo(1)
    }

    @Test
    fun `unreadable ons properties are poison too`() {
        assertThat(processor().process(message(extra = mapOf(OnsMessageProperties.ATTEMPT to "x"))).join())
            .isEqualTo(Disposition.ACKNOWLEDGE)

        assertThat(handler.calls).isEmpty()
        assertThat(exhausted.single().lastError).hasMessageContaining("ons_delay_attempt='x' is not a number")
    }

    @Test
    fun `a message due too far ahead is sent on as a hop keeping its attempt and due time`() {
        val sent = acceptSends()
        val held = message(attempt = 1, dueAt = now.plus(Duration.ofDays(2)))

        assertThat(processor().sendOn(held, held.delivery!!)).isEqualTo(Disposition.ACKNOWLEDGE)

        assertThat(handler.calls).isEmpty()
        assertThat(sent.single().attempt).isEqualTo(1)
        assertThat(sent.single().dueAt).isEqualTo(now.plus(Duration.ofDays(2)))
        assertThat(sent.single().targetGroup).isEqualTo("push-group")
    }

    @Test
    fun `a future that completes later settles the delivery when it completes`() {
        every { sender.clock() } returns Clock.fixed(now, ZoneOffset.UTC)
        val pending = CompletableFuture<Boolean>()
        val async = object {
            fun handle(push: Push): CompletableFuture<Boolean> = pending
        }
        val beans = StaticListableBeanFactory().apply { addBean("async", async) }
        val invoker = HandlerInvoker.of("async", beans, async.javaClass, async.javaClass.getMethod("handle", Push::class.java))
        val processor = DeliveryProcessor(invoker, settings, "push-group", sender, Fastjson2PayloadConverter(),
            { exhausted += it }, null, Runnable::run, counters)

        val settled = processor.process(message())

        assertThat(settled).isNotDone()
        pending.complete(true)
        assertThat(settled.join()).isEqualTo(Disposition.ACKNOWLEDGE)
    }
}
