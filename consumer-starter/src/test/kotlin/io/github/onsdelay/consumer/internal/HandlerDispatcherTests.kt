package io.github.onsdelay.consumer.internal

import org.assertj.core.api.Assertions.assertThat
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.Test
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

class HandlerDispatcherTests {

    @Test
    fun `at most concurrency tasks are in progress, and a task counts until its future completes`() {
        val dispatcher = HandlerDispatcher("test", 2)
        val pending = List(5) { CompletableFuture<Void>() }
        val started = AtomicInteger()

        pending.forEach { future -> dispatcher.submit { started.incrementAndGet(); future } }

        waitUntil { started.get() == 2 }
        assertThat(dispatcher.running()).isEqualTo(2)
        assertThat(dispatcher.waiting()).isEqualTo(3)
        pending[0].complete(null)
        waitUntil { started.get() == 3 }
        assertThat(dispatcher.running()).isEqualTo(2)
        pending.forEach { it.complete(null) }
        waitUntil { started.get() == 5 && dispatcher.running() == 0 }
        assertThat(dispatcher.waiting()).isZero()
        dispatcher.shutdown()
    }

    @Test
    fun `a task that returned its future holds no thread while it is pending`() {
        val dispatcher = HandlerDispatcher("test", 1)
        val pending = CompletableFuture<Void>()
        val threadFree = CountDownLatch(1)

        dispatcher.submit { pending }
        // The one thread is free to run other work on the dispatcher's pool while the task is pending.
        waitUntil { dispatcher.running() == 1 }
        dispatcher.threads().execute { threadFree.countDown() }

        assertThat(threadFree.await(2, TimeUnit.SECONDS)).isTrue()
        pending.complete(null)
        dispatcher.shutdown()
    }

    @Test
    fun `a task that throws frees its place`() {
        val dispatcher = HandlerDispatcher("test", 1)
        val second = CountDownLatch(1)

        dispatcher.submit { throw IllegalStateException("boom") }
        dispatcher.submit { second.countDown(); CompletableFuture.completedFuture(null) }

        assertThat(second.await(2, TimeUnit.SECONDS)).isTrue()
        dispatcher.shutdown()
    }

    private fun waitUntil(condition: () -> Boolean) {
        await().atMost(Duration.ofSeconds(5)).until { condition() }
    }
}
