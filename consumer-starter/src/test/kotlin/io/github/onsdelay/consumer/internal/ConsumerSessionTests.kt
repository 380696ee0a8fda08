package io.github.onsdelay.consumer.internal

import io.github.onsdelay.consumer.OnsListenerContainerFactory
import io.github.onsdelay.core.RetrySchedule
import io.github.onsdelay.producer.ProducerSettings
import io.mockk.every
import io.mockk.mockk
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer
import org.assertj.core.api.Assertions.assertThat
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import java.time.Clock
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger

/** The receive loop, with a consumer of the test's own: no broker is needed to see how often it asks. */
class ConsumerSessionTests {

    private val producer = ProducerSettings("jobs", "jobs_topic", null, RetrySchedule.of(Duration.ZERO),
        Duration.ofSeconds(3), Duration.ofMillis(600))
    private val housekeeping = Executors.newSingleThreadScheduledExecutor()
    private val dispatcher = HandlerDispatcher("test", 1)

    @AfterEach
    fun stop() {
        housekeeping.shutdownNow()
        dispatcher.shutdown()
    }

    private fun session(consumer: SimpleConsumer): ConsumerSession {
        val factory = OnsListenerContainerFactory.builder().build()
        val endpoint = ListenerEndpoint("jobs-group", "jobs-group", producer, mapOf("jobs_topic" to "*"),
            mockk(relaxed = true), {}, false, OnsListenerContainerFactory.DEFAULT_BEAN_NAME, null, null, null)
        return ConsumerSession(ContainerSettings.of(endpoint, factory), consumer,
            ConsumerSession.Parts(mockk(relaxed = true), mockk(relaxed = true), mockk(relaxed = true), dispatcher,
                DueTimer(Clock.systemUTC()), housekeeping, ContainerCounters(), Duration.ofDays(1)))
    }

    @Test
    fun `a receive that fails at once is tried again after a pause, not in a loop`() {
        val receives = AtomicInteger()
        val consumer = mockk<SimpleConsumer>(relaxed = true)
        every { consumer.receiveAsync(any(), any()) } answers {
            receives.incrementAndGet()
            CompletableFuture.failedFuture(IllegalStateException("Simple consumer is not running now"))
        }
        val session = session(consumer)

        val began = System.nanoTime()
        // On a thread of its own: a receive loop that spins would never return from start().
        Thread({ session.start() }, "starter").apply { isDaemon = true }.start()
        await().atMost(Duration.ofSeconds(5)).until { receives.get() >= 4 }
        val elapsed = Duration.ofNanos(System.nanoTime() - began)

        // One receive, then one every 250 ms: 4 take at least 750 ms; a loop would make thousands at once.
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(700))
        assertThat(receives.get()).isLessThan(10)
        assertThat(session.isFailing).isTrue()
    }

    @Test
    fun `a receive that throws is a failure too, and backs off alike`() {
        val receives = AtomicInteger()
        val consumer = mockk<SimpleConsumer>(relaxed = true)
        every { consumer.receiveAsync(any(), any()) } answers {
            receives.incrementAndGet()
            throw IllegalStateException("closed")
        }

        val session = session(consumer)
        Thread({ session.start() }, "starter").apply { isDaemon = true }.start()
        await().pollDelay(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until { true }

        assertThat(receives.get()).isBetween(2, 5)
    }
}
