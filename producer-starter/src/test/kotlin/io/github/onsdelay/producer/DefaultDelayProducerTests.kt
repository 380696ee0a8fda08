package io.github.onsdelay.producer

import io.github.onsdelay.core.Fastjson2PayloadConverter
import io.github.onsdelay.core.OnsMessageProperties
import io.github.onsdelay.core.OnsSendException
import io.github.onsdelay.core.PayloadConversionException
import io.github.onsdelay.core.PayloadConverter
import io.github.onsdelay.core.RetrySchedule
import io.github.onsdelay.core.TimedMessageSender
import io.mockk.every
import io.mockk.mockk
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

class DefaultDelayProducerTests {

    private val now = Instant.parse("2026-03-01T08:00:00Z")
    private val rocketmq = RecordingProducer()
    private val sent get() = rocketmq.sent()
    private val lead = Duration.ofMillis(600)

    data class CleanReportEvent(val reportId: String, val partner: String)

    /** The original's style, written as a user would. */
    class CleanReportPushEventProducer : AbstractProducer() {
        fun push(event: CleanReportEvent, attempt: Int = 0): SendResult = send(event, attempt)
    }

    private val settings = ProducerSettings(
        "clean-report-push", "report_push", "clean",
        RetrySchedule.of(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofHours(3), Duration.ofDays(1), Duration.ofDays(3)),
        Duration.ofSeconds(3), lead,
    )

    private fun producer(converter: PayloadConverter = Fastjson2PayloadConverter()) = DefaultDelayProducer(
        settings, TimedMessageSender(rocketmq, ClientServiceProvider.loadService(), Clock.fixed(now, ZoneOffset.UTC),
            Duration.ofDays(1), true), converter,
    )

    @Test
    fun `attempt 0 is due after the initial delay and attempt n after delays n-1, released a lead early`() {
        val subclass = CleanReportPushEventProducer().apply { bind(producer()) }
        val event = CleanReportEvent("r-1", "acme")

        val first = subclass.push(event)
        val third = subclass.push(event, 2)
        val last = subclass.push(event, 4)

        assertThat(first.dueAt).isEqualTo(now.plusSeconds(5))
        assertThat(third.dueAt).isEqualTo(now.plus(Duration.ofHours(3)))
        assertThat(sent.map { it.deliveryTimestamp.get() }).containsExactly(
            now.plusSeconds(5).minus(lead).toEpochMilli(),
            now.plus(Duration.ofHours(3)).minus(lead).toEpochMilli(),
            now.plus(Duration.ofDays(1)).toEpochMilli(), // attempt 4 (3d) travels as a 1-day hop
        )
        assertThat(last.isHop).isTrue()
        assertThat(last.dueAt).isEqualTo(now.plus(Duration.ofDays(3)))
        assertThat(sent.map { it.properties[OnsMessageProperties.ATTEMPT] }).containsExactly("0", "2", "4")
        assertThat(subclass.name).isEqualTo("clean-report-push")
        assertThat(subclass.schedule.maxRetries()).isEqualTo(4)
    }

    @Test
    fun `a send carries the business key as message key, and a result tells what was sent`() {

        val result = producer().send(DelayMessage.of(CleanReportEvent("r-2", "acme")).withKey("report-r-2").withAttempt(1))

        val message = sent.single()
        assertThat(message.keys).containsExactly("report-r-2")
        assertThat(message.properties).containsEntry(OnsMessageProperties.BUSINESS_KEY, "report-r-2")
            .containsEntry(OnsMessageProperties.FIRST_SENT_AT, now.toEpochMilli().toString())
            .doesNotContainKey(OnsMessageProperties.TARGET_GROUP)
        assertThat(result.messageId).isEqualTo("msg-1")
        assertThat(result.recallHandle).isEqualTo("recall-1")
        assertThat(result.businessKey).isEqualTo("report-r-2")
        assertThat(result.deliverAt).isEqualTo(now.plus(Duration.ofHours(1)).minus(lead))
    }

    @Test
    fun `without a key, each send gets a new one`() {

        val first = producer().send("a")
        val second = producer().send("b")

        assertThat(first.businessKey).isNotBlank().isNotEqualTo(second.businessKey)
        assertThat(sent.map { it.keys.single() }).containsExactly(first.businessKey, second.businessKey)
    }

    @Test
    fun `an attempt beyond the delays sends nothing and says so`() {

        val result = producer().send(CleanReportEvent("r-3", "acme"), 5)

        assertThat(result.isSent).isFalse()
        assertThat(result.attempt).isEqualTo(5)
        assertThat(producer().sendAsync(CleanReportEvent("r-3", "acme"), 5).get().isSent).isFalse()
        assertThat(sent).isEmpty()
    }

    @Test
    fun `deliverAt in the past is delivered now, and a per-send tag wins`() {

        producer().send(DelayMessage.of("late").withDeliverAt(now.minusSeconds(60)).withTag("urgent"))

        assertThat(sent.single().deliveryTimestamp).hasValue(now.toEpochMilli())
        assertThat(sent.single().tag).hasValue("urgent")
    }

    @Test
    fun `a payload that cannot be written fails the send before anything is sent`() {
        val converter = mockk<PayloadConverter>()
        every { converter.toBody(any()) } throws PayloadConversionException("cannot write", null)

        assertThatThrownBy { producer(converter).send("x") }
            .isInstanceOf(OnsSendException::class.java)
            .hasMessageContaining("payload cannot be converted: cannot write")
        assertThat(producer(converter).sendAsync("x")).isCompletedExceptionally()
        assertThat(sent).isEmpty()
    }

    @Test
    fun `a subclass that the starter has not bound says so, and binds once`() {
        val subclass = CleanReportPushEventProducer()

        assertThatThrownBy { subclass.push(CleanReportEvent("r-4", "acme")) }
            .isInstanceOf(IllegalStateException::class.java)
            .hasMessageContaining("is not bound to a producer")
        subclass.bind(producer())
        assertThatThrownBy { subclass.bind(producer()) }
            .isInstanceOf(IllegalStateException::class.java)
            .hasMessageContaining("is already bound to producer 'clean-report-push'")
    }

    @Test
    fun `settings are immutable and checked`() {
        assertThatThrownBy { settings.withSendTimeout(Duration.ZERO) }.isInstanceOf(IllegalArgumentException::class.java)
        assertThatThrownBy { settings.withDeliveryLead(Duration.ofSeconds(-1)) }.isInstanceOf(IllegalArgumentException::class.java)
        assertThatThrownBy { ProducerSettings("p", "t", "a||b", RetrySchedule.of(Duration.ZERO), Duration.ofSeconds(1), Duration.ZERO) }
            .hasMessageContaining("is not a plain tag")
        assertThat(settings.withDeliveryLead(Duration.ZERO).deliveryLead).isZero()
        assertThat(settings.deliveryLead).isEqualTo(lead)
    }
}
