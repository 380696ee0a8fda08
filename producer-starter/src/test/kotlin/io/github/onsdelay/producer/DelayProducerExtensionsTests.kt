package io.github.onsdelay.producer

import io.github.onsdelay.core.OnsSendException
import io.github.onsdelay.core.RetrySchedule
import io.mockk.every
import io.mockk.mockk
import kotlinx.coroutines.runBlocking
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test
import java.time.Duration
import java.util.concurrent.CompletableFuture
import kotlin.time.Duration.Companion.days
import kotlin.time.Duration.Companion.hours
import kotlin.time.Duration.Companion.seconds

class DelayProducerExtensionsTests {

    private val producer = mockk<DelayProducer>()

    @Test
    fun `sendAndAwait suspends until the broker answers and gives its result`() {
        val result = SendResult(true, "m-1", 0, null, null, "k", null, false, false)
        every { producer.sendAsync(any<Any>()) } returns CompletableFuture.completedFuture(result)

        assertThat(runBlocking { producer.sendAndAwait("payload") }).isSameAs(result)
    }

    @Test
    fun `a refused send throws the library exception from the suspend call`() {
        every { producer.sendAsync(any<DelayMessage>()) } returns
            CompletableFuture.failedFuture(OnsSendException("p", "t", "refused", null))

        assertThatThrownBy { runBlocking { producer.sendAndAwait(DelayMessage.of("x")) } }
            .isInstanceOf(OnsSendException::class.java)
            .hasMessage("Producer 'p' could not send to topic 't': refused")
    }

    @Test
    fun `schedules are written with Kotlin durations`() {
        assertThat(retryScheduleOf(0.seconds, listOf(1.hours, 3.hours, 1.days, 3.days))).isEqualTo(
            RetrySchedule.of(Duration.ZERO, Duration.ofHours(1), Duration.ofHours(3), Duration.ofDays(1), Duration.ofDays(3)))
        val settings = ProducerSettings("p", "t", null, RetrySchedule.of(Duration.ZERO), Duration.ofSeconds(3), Duration.ZERO)
        assertThat(settings.withSchedule(30.seconds, listOf(1.hours)).schedule)
            .isEqualTo(RetrySchedule.of(Duration.ofSeconds(30), Duration.ofHours(1)))
    }
}
