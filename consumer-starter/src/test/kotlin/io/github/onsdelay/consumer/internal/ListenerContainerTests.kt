package io.github.onsdelay.consumer.internal

import io.github.onsdelay.consumer.OnsListenerContainerFactory
import io.github.onsdelay.core.RetrySchedule
import io.github.onsdelay.producer.ProducerSettings
import io.mockk.every
import io.mockk.mockk
import io.mockk.verifyOrder
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer
import org.apache.rocketmq.client.apis.consumer.SimpleConsumerBuilder
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import java.time.Clock
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executors

class ListenerContainerTests {

    private val producer = ProducerSettings("jobs", "jobs_topic", null, RetrySchedule.of(Duration.ZERO),
        Duration.ofSeconds(3), Duration.ofMillis(600))

    @Test
    fun `a customizer's await duration wins over the container's own`() {
        val builder = mockk<SimpleConsumerBuilder>()
        val consumer = mockk<SimpleConsumer>(relaxed = true)
        every { builder.setConsumerGroup(any()) } returns builder
        every { builder.setSubscriptionExpressions(any()) } returns builder
        every { builder.setAwaitDuration(any()) } returns builder
        every { builder.build() } returns consumer
        every { consumer.receiveAsync(any(), any()) } returns CompletableFuture()
        val factory = OnsListenerContainerFactory.builder().awaitDuration(Duration.ofSeconds(5)).build()
        val endpoint = ListenerEndpoint("jobs-group", "jobs-group", producer, mapOf("jobs_topic" to "*"),
            mockk(relaxed = true), {}, false, OnsListenerContainerFactory.DEFAULT_BEAN_NAME, null, null, null)
        val housekeeping = Executors.newSingleThreadScheduledExecutor()
        val counters = ContainerCounters()
        val dispatcher = HandlerDispatcher("test", 1)
        val container = ListenerContainer(ContainerSettings.of(endpoint, factory), "Jobs.handle(String)",
            ListenerContainer.ConsumerBuilders({ builder }) { it.setAwaitDuration(Duration.ofSeconds(1)) },
            ConsumerSession.Parts(mockk(relaxed = true), mockk(relaxed = true), mockk(relaxed = true), dispatcher,
                DueTimer(Clock.systemUTC()), housekeeping, counters, Duration.ofDays(1)))

        container.start()

        verifyOrder {
            builder.setAwaitDuration(Duration.ofSeconds(5))
            builder.setAwaitDuration(Duration.ofSeconds(1))
            builder.build()
        }
        assertThat(container.isRunning).isTrue()
        housekeeping.shutdownNow()
        dispatcher.shutdown()
    }
}
