package io.github.onsdelay.producer

import io.github.onsdelay.producer.internal.DelayMessageSender
import io.mockk.every
import io.mockk.mockk
import io.mockk.slot
import io.mockk.verify
import org.apache.rocketmq.client.apis.ClientServiceProvider
import org.apache.rocketmq.client.apis.message.Message
import org.apache.rocketmq.client.apis.message.MessageId
import org.apache.rocketmq.client.apis.producer.Producer
import org.apache.rocketmq.client.apis.producer.SendReceipt
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneOffset
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException

class AbstractProducerTests {

    private val now = Instant.parse("2026-03-01T08:00:00Z")
    private val clock = Clock.fixed(now, ZoneOffset.UTC)
    private val rocketmq = mockk<Producer>()
    private val sent = mutableListOf<Message>()

    data class CleanReportEvent(val reportId: String, val partner: String)

    /** The original's style, written as a user would. */
    class CleanReportPushEventProducer : AbstractProducer() {
        fun push(event: CleanReportEvent, times: Int = 0): SendResult = send(event, times)
    }

    private fun producer(maxDelay: Duration = Duration.ofDays(1)) = CleanReportPushEventProducer().apply {
        topic = "report_push"
        tag = "clean"
        initialDelay = Duration.ofSeconds(5)
        delays = listOf(Duration.ofHours(1), Duration.ofHours(3), Duration.ofDays(1), Duration.ofDays(3))
        setDelayMessageSender(
            DelayMessageSender(rocketmq, ClientServiceProvider.loadService(), Fastjson2PayloadConverter(), clock, maxDelay)
        )
        setBeanName("clean-report-push")
        afterPropertiesSet()
    }

    private fun acceptEverySend() {
        val message = slot<Message>()
        every { rocketmq.sendAsync(capture(message)) } answers {
            sent += message.captured
            val receipt = mockk<SendReceipt>()
            every { receipt.messageId } returns mockk<MessageId> { every { this@mockk.toString() } returns "msg-${sent.size}" }
            every { receipt.recallHandle } returns "recall-${sent.size}"
            CompletableFuture.completedFuture(receipt)
        }
    }

    @Test
    fun `attempt 0 is due after the initial delay and attempt n after delays n-1`() {
        acceptEverySend()
        val producer = producer()
        val event = CleanReportEvent("r-1", "acme")

        val first = producer.push(event)
        val third = producer.push(event, 2)
        val last = producer.push(event, 4)

        assertThat(first.dueAt).isEqualTo(now.plusSeconds(5))
        assertThat(third.dueAt).isEqualTo(now.plus(Duration.ofHours(3)))
        assertThat(sent.map { it.deliveryTimestamp.get() }).containsExactly(
            now.plusSeconds(5).toEpochMilli(),
            now.plus(Duration.ofHours(3)).toEpochMilli(),
            now.plus(Duration.ofDays(1)).toEpochMilli() // attempt 4 (3d) travels as a 1-day hop
        )
        assertThat(last.isHop).isTrue()
        assertThat(last.dueAt).isEqualTo(now.plus(Duration.ofDays(3)))
        assertThat(sent.map { it.properties[OnsMessageProperties.ATTEMPT] }).containsExactly("0", "2", "4")
    }

    @Test
    fun `every message carries the documented properties`() {
        acceptEverySend()

        val result = producer().send(DelayMessage.of(CleanReportEvent("r-2", "acme")).withKey("report-r-2").withAttempt(1))

        val message = sent.single()
        assertThat(message.topic).isEqualTo("report_push")
        assertThat(message.tag).hasValue("clean")
        assertThat(message.keys).containsExactly("report-r-2")
        assertThat(message.properties).containsAllEntriesOf(
            mapOf(
                OnsMessageProperties.ATTEMPT to "1",
                OnsMessageProperties.DUE_AT to now.plus(Duration.ofHours(1)).toEpochMilli().toString(),
                OnsMessageProperties.FIRST_SENT_AT to now.toEpochMilli().toString(),
                OnsMessageProperties.PRODUCER to "clean-report-push",
                OnsMessageProperties.BUSINESS_KEY to "report-r-2",
            )
        )
        assertThat(result.messageId).isEqualTo("msg-1")
        assertThat(result.recallHandle).isEqualTo("recall-1")
    }

    @Test
    fun `an attempt beyond the delays sends nothing and says so`() {
        acceptEverySend()

        val result = producer().push(CleanReportEvent("r-3", "acme"), 5)

        assertThat(result.isSent).isFalse()
        assertThat(result.attempt).isEqualTo(5)
        verify(exactly = 0) { rocketmq.sendAsync(any()) }
    }

    @Test
    fun `deliverAt in the past is delivered now, and a per-send tag wins`() {
        acceptEverySend()

        producer().send(DelayMessage.of("late").withDeliverAt(now.minusSeconds(60)).withTag("urgent"))

        assertThat(sent.single().deliveryTimestamp).hasValue(now.toEpochMilli())
        assertThat(sent.single().tag).hasValue("urgent")
    }

    @Test
    fun `hop splitting caps each hop at max delay`() {
        val sender = DelayMessageSender(rocketmq, ClientServiceProvider.loadService(), Fastjson2PayloadConverter(), clock,
            Duration.ofHours(6))

        assertThat(sender.deliveryTime(now.plus(Duration.ofHours(5)), now)).isEqualTo(now.plus(Duration.ofHours(5)))
        assertThat(sender.deliveryTime(now.plus(Duration.ofHours(6)), now)).isEqualTo(now.plus(Duration.ofHours(6)))
        assertThat(sender.deliveryTime(now.plus(Duration.ofHours(7)), now)).isEqualTo(now.plus(Duration.ofHours(6)))
        assertThat(sender.deliveryTime(now.minusSeconds(1), now)).isEqualTo(now)
    }

    @Test
    fun `a refused send throws the library exception naming producer, topic and cause`() {
        every { rocketmq.sendAsync(any()) } returns CompletableFuture.failedFuture(IllegalStateException("broker full"))
        val producer = producer()

        assertThatThrownBy { producer.push(CleanReportEvent("r-4", "acme")) }
            .isInstanceOf(OnsSendException::class.java)
            .hasMessage("Producer 'clean-report-push' could not send to topic 'report_push': IllegalStateException: broker full")
            .hasRootCauseMessage("broker full")
        assertThatThrownBy { producer.sendAsync(CleanReportEvent("r-4", "acme")).get() }
            .isInstanceOf(ExecutionException::class.java)
            .hasCauseInstanceOf(OnsSendException::class.java)
    }

    @Test
    fun `a send the broker never answers fails after the send timeout`() {
        every { rocketmq.sendAsync(any()) } returns CompletableFuture()
        val producer = producer().apply { sendTimeout = Duration.ofMillis(200) }

        val began = System.nanoTime()
        assertThatThrownBy { producer.push(CleanReportEvent("r-5", "acme")) }
            .isInstanceOf(OnsSendException::class.java)
            .hasMessageEndingWith("no answer from the broker within the send timeout of 200 ms")
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5))
    }

    @Test
    fun `a payload that cannot be written fails the send before anything is sent`() {
        acceptEverySend()
        val converter = mockk<PayloadConverter>()
        every { converter.toBody(any()) } throws PayloadConversionException("cannot write", null)
        val producer = CleanReportPushEventProducer().apply {
            topic = "report_push"
            setDelayMessageSender(DelayMessageSender(rocketmq, ClientServiceProvider.loadService(), converter, clock,
                Duration.ofDays(1)))
            setBeanName("p")
            afterPropertiesSet()
        }

        assertThatThrownBy { producer.send("x") }
            .isInstanceOf(OnsSendException::class.java)
            .hasMessageContaining("payload cannot be converted: cannot write")
        verify(exactly = 0) { rocketmq.sendAsync(any()) }
    }

    @Test
    fun `settings are checked when the bean starts, naming each property`() {
        val producer = CleanReportPushEventProducer().apply {
            tag = "a||b"
            initialDelay = Duration.ofSeconds(-1)
            delays = listOf(Duration.ofSeconds(10), Duration.ZERO)
            setBeanName("clean-report-push")
        }

        assertThatThrownBy { producer.afterPropertiesSet() }
            .isInstanceOf(OnsConfigurationException::class.java)
            .hasMessageContaining("mqs.ons.producers.clean-report-push.topic is not set")
            .hasMessageContaining("mqs.ons.producers.clean-report-push.tag='a||b' is not a tag")
            .hasMessageContaining("mqs.ons.producers.clean-report-push.initial-delay=PT-1S must be zero or positive")
            .hasMessageContaining("mqs.ons.producers.clean-report-push.delays[1]=PT0S must be positive")
    }
}
