package io.github.onsdelay.consumer.internal

import io.github.onsdelay.consumer.DeliveryContext
import io.github.onsdelay.consumer.Exhaustion
import io.github.onsdelay.consumer.ExhaustionRecoverer
import io.github.onsdelay.consumer.OnsDeliveryFilter
import io.github.onsdelay.consumer.OnsRetryPolicy
import io.github.onsdelay.core.Fastjson2PayloadConverter
import io.github.onsdelay.core.OnsMessageProperties
import io.github.onsdelay.core.OnsSendException
import io.github.onsdelay.core.RetrySchedule
import io.github.onsdelay.core.TimedMessage
import io.github.onsdelay.core.TimedMessageReceipt
import io.github.onsdelay.core.TimeScale
import io.github.onsdelay.core.TimedMessageSender
import io.github.onsdelay.producer.ProducerSettings
import io.micrometer.observation.ObservationRegistry
import io.mockk.every
import io.mockk.mockk
import io.mockk.slot
import io.mockk.verify
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer
import org.apache.rocketmq.client.apis.message.MessageId
import org.apache.rocketmq.client.apis.message.MessageView
import org.assertj.core.api.Assertions.assertThat
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import org.springframework.beans.factory.support.StaticListableBeanFactory
import java.nio.ByteBuffer
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneOffset
import java.util.Optional
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicReference

/** The stages after a message is due, without a broker: filters, the handler run, the failure handler, recoverers. */
class DeliveryHandlerTests {

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
    private val timers = Executors.newSingleThreadScheduledExecutor()
    private val threads = Executors.newCachedThreadPool()
    private val settings = ProducerSettings("partner-push", "report_push", "clean",
        RetrySchedule.of(Duration.ZERO, Duration.ofHours(1), Duration.ofHours(3)), Duration.ofSeconds(3), lead)

    @AfterEach
    fun stop() {
        timers.shutdownNow()
        threads.shutdownNow()
    }

    private fun invoker(bean: Any, method: String, vararg types: Class<*>): HandlerInvoker {
        val beans = StaticListableBeanFactory().apply { addBean("handler", bean) }
        return HandlerInvoker.of("handler", beans, bean.javaClass, bean.javaClass.getMethod(method, *types))
    }

    private fun delivery(
        invoker: HandlerInvoker = invoker(handler, "handle", Push::class.java, DeliveryContext::class.java),
        recoverers: List<ExhaustionRecoverer> = emptyList(),
        filters: List<OnsDeliveryFilter> = emptyList(),
        policy: OnsRetryPolicy = OnsRetryPolicy.producerDelays(),
        timeout: Duration = Duration.ofSeconds(5),
    ): DeliveryHandler {
        every { sender.clock() } returns Clock.fixed(now, ZoneOffset.UTC)
        every { sender.timeScale() } returns TimeScale.NONE
        val resender = MessageResender(sender, settings, "push-group")
        val run = HandlerRun(invoker, null, timeout, timers, threads, counters)
        val failures = FailureHandler("push-group", policy, resender, Recoverers(recoverers) {
            if (exhaustionFails) throw IllegalStateException("handler down")
            exhausted += it
        }, counters, RecentListenerEvents())
        return DeliveryHandler("push-group", settings, Clock.fixed(now, ZoneOffset.UTC), Fastjson2PayloadConverter(),
            FilterChain(filters, counters), run, failures, counters, DeliveryHandler.Observations(ObservationRegistry.NOOP, null))
    }

    private fun message(
        attempt: Int = 0,
        body: String = """{"id":"p-1"}""",
        dueAt: Instant = now.minusMillis(50),
        extra: Map<String, String> = emptyMap(),
        invisibleFor: Duration = Duration.ofSeconds(10),
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
            every { this@mockk.body } answers { ByteBuffer.wrap(body.toByteArray()) }
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
        val lease = Lease(mockk<SimpleConsumer>(), view, invisibleFor, System.nanoTime(), NoEvents, SettlementCalls(Runnable::run) { false }, ContainerCounters())
        return HeldMessage(lease, properties, now, delivery, unreadable)
    }

    private object NoEvents : Lease.LeaseEvents {
        override fun renewed(lease: Lease, failuresBefore: Int) {}
        override fun renewalFailed(lease: Lease, failures: Int, failure: Throwable) {}
        override fun lost(lease: Lease, failures: Int) {}
    }

    private fun DeliveryHandler.verdict(message: HeldMessage): Disposition {
        val verdict = CompletableFuture<Disposition>()
        handle(message) { verdict.complete(it) }
        return verdict.get(10, TimeUnit.SECONDS)
    }

    private fun verifyNothingSent() {
        verify(exactly = 0) { sender.send(any(), any(), any()) }
        verify(exactly = 0) { sender.sendAsync(any(), any(), any()) }
    }

    private fun acceptSends(): MutableList<TimedMessage> {
        val sent = mutableListOf<TimedMessage>()
        val captured = slot<TimedMessage>()
        every { sender.send(capture(captured), any(), any()) } answers {
            sent += captured.captured
            TimedMessageReceipt("r", captured.captured.dueAt, captured.captured.dueAt, false, null)
        }
        val capturedAsync = slot<TimedMessage>()
        every { sender.sendAsync(capture(capturedAsync), any(), any()) } answers {
            sent += capturedAsync.captured
            CompletableFuture.completedFuture(
                TimedMessageReceipt("r", capturedAsync.captured.dueAt, capturedAsync.captured.dueAt, false, null))
        }
        return sent
    }

    @Test
    fun `success is acknowledged and nothing is sent`() {
        assertThat(delivery().verdict(message())).isEqualTo(Disposition.ACKNOWLEDGE)

        val (push, context) = handler.calls.single()
        assertThat(push).isEqualTo(Push("p-1"))
        assertThat(context.attempt).isZero()
        assertThat(context.remainingRetries).isEqualTo(2)
        assertThat(context.retryDelays).containsExactly(Duration.ofHours(1), Duration.ofHours(3))
        assertThat(context.property(OnsMessageProperties.BUSINESS_KEY)).isEqualTo("key-1")
        assertThat(counters.snapshot().succeeded).isEqualTo(1)
        verifyNothingSent()
    }

    @Test
    fun `failure sends the next attempt to this group only, due after the next delay, with the producer's lead`() {
        val sent = acceptSends()
        handler.outcome = { false }

        assertThat(delivery().verdict(message(attempt = 1))).isEqualTo(Disposition.ACKNOWLEDGE)

        val retry = sent.single()
        assertThat(retry.attempt).isEqualTo(2)
        assertThat(retry.dueAt).isEqualTo(now.plus(Duration.ofHours(3)))
        assertThat(retry.targetGroup).isEqualTo("push-group")
        assertThat(retry.businessKey).isEqualTo("key-1")
        assertThat(retry.tag).isEqualTo("clean")
        assertThat(retry.firstSentAt).isEqualTo(now.minusSeconds(3600))
        verify { sender.sendAsync(any(), lead, Duration.ofSeconds(3)) }
        assertThat(counters.snapshot().retried).isEqualTo(1)
    }

    @Test
    fun `a refused re-send gives the delivery back to be delivered again`() {
        every { sender.sendAsync(any(), any(), any()) } returns
            CompletableFuture.failedFuture(OnsSendException("partner-push", "report_push", "down", IllegalStateException()))
        handler.outcome = { throw IllegalStateException("partner 503") }

        val disposition = delivery().verdict(message())

        assertThat(disposition.kind).isEqualTo(Disposition.Kind.GIVE_BACK)
        assertThat(disposition.why).contains("sending attempt 1 failed")
        assertThat(exhausted).isEmpty()
    }

    @Test
    fun `the last attempt failing runs the recoverers in order, then the exhaustion handler, once`() {
        handler.outcome = { throw IllegalStateException("partner 503") }
        val order = mutableListOf<String>()

        val disposition = delivery(recoverers = listOf(ExhaustionRecoverer { order += "first" },
            ExhaustionRecoverer { order += "second" })).verdict(message(attempt = 2))

        assertThat(disposition).isEqualTo(Disposition.ACKNOWLEDGE)
        assertThat(order).containsExactly("first", "second")
        assertThat(exhausted.single().reason).isEqualTo(Exhaustion.Reason.RETRIES_EXHAUSTED)
        assertThat(exhausted.single().lastError).hasMessage("partner 503")
        assertThat(exhausted.single().payload).isEqualTo(Push("p-1"))
        verifyNothingSent()
    }

    @Test
    fun `the dead-letter recoverer forwards attempt 0 for any group, saying where and why it died`() {
        val sent = acceptSends()
        handler.outcome = { false }

        val disposition = delivery(recoverers = listOf(ExhaustionRecoverer.deadLetterTopic("report_dlq", sender,
            Duration.ofSeconds(2)))).verdict(message(attempt = 2))

        assertThat(disposition).isEqualTo(Disposition.ACKNOWLEDGE)
        val forwarded = sent.single()
        assertThat(forwarded.topic).isEqualTo("report_dlq")
        assertThat(forwarded.attempt).isZero()
        assertThat(forwarded.targetGroup).isNull()
        assertThat(forwarded.businessKey).isEqualTo("key-1")
        assertThat(String(forwarded.body)).isEqualTo("""{"id":"p-1"}""")
        assertThat(forwarded.headers).containsEntry(OnsMessageProperties.DEAD_LETTER_GROUP, "push-group")
            .containsEntry(OnsMessageProperties.DEAD_LETTER_REASON, "RETRIES_EXHAUSTED")
            .containsEntry(OnsMessageProperties.DEAD_LETTER_ATTEMPT, "2")
            .containsEntry(OnsMessageProperties.DEAD_LETTER_TOPIC, "report_push")
        assertThat(forwarded.headers[OnsMessageProperties.DEAD_LETTER_ERROR]).contains("returned false")
        assertThat(exhausted).hasSize(1)
    }

    @Test
    fun `a failing recoverer or exhaustion handler gives the delivery back`() {
        handler.outcome = { false }
        exhaustionFails = true

        assertThat(delivery().verdict(message(attempt = 2)).kind).isEqualTo(Disposition.Kind.GIVE_BACK)
    }

    @Test
    fun `a retry policy of its own can give up at once`() {
        handler.outcome = { throw IllegalArgumentException("bad order") }
        val giveUpOnBadInput = OnsRetryPolicy { delivery, failure ->
            if (failure is IllegalArgumentException) Optional.empty() else OnsRetryPolicy.producerDelays().nextDelay(delivery, failure)
        }

        assertThat(delivery(policy = giveUpOnBadInput).verdict(message())).isEqualTo(Disposition.ACKNOWLEDGE)

        assertThat(exhausted.single().lastError).hasMessage("bad order")
        verifyNothingSent()
    }

    @Test
    fun `an Error from a handler gives the delivery back and is not retried as the next attempt`() {
        handler.outcome = { throw StackOverflowError("deep") }

        val disposition = delivery().verdict(message())

        assertThat(disposition.kind).isEqualTo(Disposition.Kind.GIVE_BACK)
        verifyNothingSent()
        assertThat(exhausted).isEmpty()
    }

    @Test
    fun `poison goes to exhaustion without running the handler`() {
        assertThat(delivery().verdict(message(body = "[1, 2"))).isEqualTo(Disposition.ACKNOWLEDGE)

        assertThat(handler.calls).isEmpty()
        assertThat(exhausted.single().reason).isEqualTo(Exhaustion.Reason.POISON)
        assertThat(exhausted.single().payload).isNull()
        assertThat(counters.snapshot().poison).isEqualTo(1)
    }

    @Test
    fun `unreadable ons properties are poison too`() {
        assertThat(delivery().verdict(message(extra = mapOf(OnsMessageProperties.ATTEMPT to "x"))))
            .isEqualTo(Disposition.ACKNOWLEDGE)

        assertThat(handler.calls).isEmpty()
        assertThat(exhausted.single().lastError).hasMessageContaining("ons_delay_attempt='x' is not a number")
    }

    @Test
    fun `a filter that skips acknowledges without running the handler, counted under its name`() {
        val cancelled = object : OnsDeliveryFilter {
            override fun skip(delivery: DeliveryContext) = delivery.businessKey == "key-1"
            override fun name() = "cancelled"
        }

        assertThat(delivery(filters = listOf(cancelled)).verdict(message())).isEqualTo(Disposition.ACKNOWLEDGE)

        assertThat(handler.calls).isEmpty()
        assertThat(counters.snapshot().filtered).containsEntry("cancelled", 1L)
    }

    @Test
    fun `a filter that fails gives the delivery back without running the handler`() {
        val broken = OnsDeliveryFilter { throw IllegalStateException("journal down") }

        assertThat(delivery(filters = listOf(broken)).verdict(message()).kind).isEqualTo(Disposition.Kind.GIVE_BACK)
        assertThat(handler.calls).isEmpty()
    }

    @Test
    fun `a message due too far ahead is sent on as a hop keeping its attempt and due time, counting its hops`() {
        val sent = acceptSends()
        val held = message(attempt = 1, dueAt = now.plus(Duration.ofDays(2)))
        val handling = delivery()
        val hops = HopSender("push-group", MessageResender(sender, settings, "push-group"), FilterChain(listOf(), counters),
            handling, counters, ObservationRegistry.NOOP)

        assertThat(hops.sendOn(held, held.delivery!!)).isEqualTo(Disposition.ACKNOWLEDGE)

        assertThat(handler.calls).isEmpty()
        assertThat(sent.single().attempt).isEqualTo(1)
        assertThat(sent.single().dueAt).isEqualTo(now.plus(Duration.ofDays(2)))
        assertThat(sent.single().targetGroup).isEqualTo("push-group")
        assertThat(sent.single().headers).containsEntry(OnsMessageProperties.HOPS, "1")
    }

    @Test
    fun `any failure of a hop's send gives the delivery back`() {
        every { sender.send(any(), any(), any()) } throws IllegalStateException("not an OnsSendException")
        val held = message(dueAt = now.plus(Duration.ofDays(2)))
        val hops = HopSender("push-group", MessageResender(sender, settings, "push-group"), FilterChain(listOf(), counters),
            delivery(), counters, ObservationRegistry.NOOP)

        assertThat(hops.sendOn(held, held.delivery!!).kind).isEqualTo(Disposition.Kind.GIVE_BACK)
    }

    @Test
    fun `a future that completes later settles the delivery when it completes`() {
        val pending = CompletableFuture<Boolean>()
        val async = object {
            fun handle(push: Push): CompletableFuture<Boolean> = pending
        }
        val verdict = CompletableFuture<Disposition>()

        delivery(invoker(async, "handle", Push::class.java)).handle(message()) { verdict.complete(it) }

        assertThat(verdict).isNotDone()
        pending.complete(true)
        assertThat(verdict.get(5, TimeUnit.SECONDS)).isEqualTo(Disposition.ACKNOWLEDGE)
    }

    @Test
    fun `a future that never completes fails its attempt at the handler timeout, and a late completion is ignored`() {
        val sent = acceptSends()
        val pending = CompletableFuture<Boolean>()
        val async = object {
            fun handle(push: Push): CompletableFuture<Boolean> = pending
        }
        val verdict = CompletableFuture<Disposition>()
        val began = System.nanoTime()

        delivery(invoker(async, "handle", Push::class.java), timeout = Duration.ofMillis(300))
            .handle(message()) { verdict.complete(it) }

        assertThat(verdict.get(5, TimeUnit.SECONDS)).isEqualTo(Disposition.ACKNOWLEDGE)
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThanOrEqualTo(Duration.ofMillis(300))
        assertThat(sent.single().attempt).isEqualTo(1)
        assertThat(counters.snapshot().timedOut).isEqualTo(1)
        // The application's own future is left alone; its late completion changes nothing.
        pending.complete(false)
        assertThat(sent).hasSize(1)
        assertThat(counters.snapshot().retried).isEqualTo(1)
    }

    @Test
    fun `a blocking handler that outlasts its timeout fails its attempt while its thread stays with it`() {
        val sent = acceptSends()
        val release = CountDownLatch(1)
        val blocked = AtomicReference<Thread>()
        handler.outcome = {
            blocked.set(Thread.currentThread())
            release.await()
            true
        }
        val verdict = CompletableFuture<Disposition>()
        val handling = delivery(timeout = Duration.ofMillis(300))

        threads.execute { handling.handle(message()) { verdict.complete(it) } }

        assertThat(verdict.get(5, TimeUnit.SECONDS)).isEqualTo(Disposition.ACKNOWLEDGE)
        assertThat(sent.single().attempt).isEqualTo(1)
        assertThat(blocked.get().state).isEqualTo(Thread.State.WAITING)
        release.countDown()
        await().atMost(Duration.ofSeconds(5)).until { blocked.get().state != Thread.State.WAITING }
        assertThat(counters.snapshot().succeeded).isZero()
        assertThat(sent).hasSize(1)
    }

    @Test
    fun `a failure that ends after the lease was lost is not applied`() {
        val release = CountDownLatch(1)
        handler.outcome = {
            release.await()
            false
        }
        val verdict = CompletableFuture<Disposition>()
        val handling = delivery()
        val shortLease = message(invisibleFor = Duration.ofMillis(200))

        threads.execute { handling.handle(shortLease) { verdict.complete(it) } }
        await().atMost(Duration.ofSeconds(5)).until { !shortLease.isLeased }
        release.countDown()

        assertThat(verdict.get(5, TimeUnit.SECONDS)).isEqualTo(Disposition.FORGET)
        verifyNothingSent()
        assertThat(exhausted).isEmpty()
        assertThat(counters.snapshot().outcomesDiscarded).isEqualTo(1)
    }
}
