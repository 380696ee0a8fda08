package io.github.onsdelay.consumer.internal

import io.github.onsdelay.core.OnsMessageProperties
import io.mockk.every
import io.mockk.mockk
import org.apache.rocketmq.client.apis.message.MessageId
import org.apache.rocketmq.client.apis.message.MessageView
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test
import java.time.Duration
import java.time.Instant
import java.util.Optional

class DeliveryReaderTests {

    private val received = Instant.parse("2026-05-01T10:00:00Z")

    private fun view(properties: Map<String, String>, deliveryTimestamp: Instant? = null, born: Instant = received.minusSeconds(5),
                     keys: List<String> = listOf("k-1")): MessageView = mockk {
        every { this@mockk.properties } returns properties
        every { this@mockk.deliveryTimestamp } returns Optional.ofNullable(deliveryTimestamp?.toEpochMilli())
        every { bornTimestamp } returns born.toEpochMilli()
        every { this@mockk.keys } returns keys
        every { messageId } returns mockk<MessageId> { every { this@mockk.toString() } returns "id-1" }
    }

    private fun read(view: MessageView) = DeliveryReader.read(view, view.properties, "orders", received)

    @Test
    fun `ons-delay's own due time wins over the broker's timestamp, which is its lead earlier`() {
        val due = received.plusMillis(400)
        val delivery = read(view(mapOf(OnsMessageProperties.DUE_AT to due.toEpochMilli().toString(),
            OnsMessageProperties.ATTEMPT to "2", OnsMessageProperties.PRODUCER to "push",
            OnsMessageProperties.BUSINESS_KEY to "report-1", OnsMessageProperties.TARGET_GROUP to "g",
            OnsMessageProperties.FIRST_SENT_AT to "1000"), deliveryTimestamp = due.minusMillis(600)))

        assertThat(delivery.dueAt).isEqualTo(due)
        assertThat(delivery.dueTimeSource).isEqualTo(Delivery.DueTimeSource.ONS_DELAY)
        assertThat(delivery.attempt).isEqualTo(2)
        assertThat(delivery.producer).isEqualTo("push")
        assertThat(delivery.businessKey).isEqualTo("report-1")
        assertThat(delivery.targetGroup).isEqualTo("g")
        assertThat(delivery.firstSentAt).isEqualTo(Instant.ofEpochMilli(1000))
    }

    @Test
    fun `the original ONS client's start deliver time is honoured, since Apache RocketMQ delivers such a message at once`() {
        val due = received.plusSeconds(30)
        val delivery = read(view(mapOf("__STARTDELIVERTIME" to due.toEpochMilli().toString())))

        assertThat(delivery.dueAt).isEqualTo(due)
        assertThat(delivery.dueTimeSource).isEqualTo(Delivery.DueTimeSource.ONS_START_DELIVER_TIME)
        assertThat(delivery.producer).isEqualTo("orders")
        assertThat(delivery.attempt).isZero()
        assertThat(delivery.businessKey).isEqualTo("k-1")
    }

    @Test
    fun `a gRPC or TIMER_DELIVER_MS delivery timestamp is the due time`() {
        val due = received.minusMillis(80)
        val delivery = read(view(emptyMap(), deliveryTimestamp = due, born = received.minusSeconds(10)))

        assertThat(delivery.dueAt).isEqualTo(due)
        assertThat(delivery.dueTimeSource).isEqualTo(Delivery.DueTimeSource.DELIVERY_TIMESTAMP)
        assertThat(delivery.firstSentAt).isEqualTo(received.minusSeconds(10))
    }

    @Test
    fun `the proxy's rendering of TIMER_DELAY_SEC (arrival plus the delay again) is not trusted`() {
        // Sent 7 s ago with a 7 s delay: the broker released it now, and the proxy reports now + 7 s.
        val delivery = read(view(emptyMap(), deliveryTimestamp = received.plusSeconds(7).minusMillis(3),
            born = received.minusMillis(7_120)))

        assertThat(delivery.dueAt).isEqualTo(received)
        assertThat(delivery.dueTimeSource).isEqualTo(Delivery.DueTimeSource.BROKER_RELEASE)
    }

    @Test
    fun `a timestamp genuinely ahead of a message that has not waited that long is held for`() {
        // Born 1 s ago, asked for 10 s after its birth: released 9 s early (a broker clock far ahead).
        val delivery = read(view(emptyMap(), deliveryTimestamp = received.plusSeconds(9), born = received.minusSeconds(1)))

        assertThat(delivery.dueAt).isEqualTo(received.plusSeconds(9))
        assertThat(DeliveryReader.isDelaySecondsArtefact(received.plusSeconds(9), received.minusSeconds(1), received)).isFalse()
    }

    @Test
    fun `without any timer information a message is due on arrival`() {
        val delivery = read(view(emptyMap(), keys = emptyList()))

        assertThat(delivery.dueAt).isEqualTo(received)
        assertThat(delivery.dueTimeSource).isEqualTo(Delivery.DueTimeSource.BROKER_RELEASE)
        assertThat(delivery.businessKey).isEqualTo("id-1")
    }

    @Test
    fun `unreadable ons-delay properties are refused`() {
        assertThatThrownBy { read(view(mapOf(OnsMessageProperties.DUE_AT to "soon"))) }
            .hasMessage("Message property ons_delay_due_at='soon' is not epoch millis")
        assertThatThrownBy { read(view(mapOf(OnsMessageProperties.ATTEMPT to "-1"))) }
            .hasMessage("ons_delay_attempt=-1 is negative")
        assertThat(Duration.ZERO).isZero()
    }
}
