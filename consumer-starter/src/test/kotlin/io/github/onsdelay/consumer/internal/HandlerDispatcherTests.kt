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
    fun `at most concurrency tasks are in progress, and a task counts until it completes its future`() {
        val dispatcher = HandlerDispatcher("test", 2)
        val pending = List(5) { CompletableFuture<Void>() }
        val started = AtomicInteger()

        pending.forEach { future -> dispatcher.submit { done -> started.incrementAndGet(); future.whenComplete { _, _ -> done.complete(null) } } }

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
    fun `a task that returned without completing its future holds its place but no thread`() {
        val dispatcher = HandlerDispatcher("test", 1)
        val pending = CompletableFuture<Void>()
        val threadFree = CountDownLatch(1)

        dispatcher.submit { done -> pending.whenComplete { _, _ -> done.complete(null) } }
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
        dispatcher.submit { done -> second.countDown(); done.complete(null) }

        assertThat(second.await(2, TimeUnit.SECONDS)).isTrue()
        dispatcher.shutdown()
    }

    @Test
    fun `a task whose thread stays blocked frees its place once it completes its future, and the next task runs`() {
        val dispatcher = HandlerDispatcher("test", 1)
        val stuck = CountDownLatch(1)
        val next = CountDownLatch(1)

        dispatcher.submit { done -> done.complete(null); stuck.await() }
        dispatcher.submit { done -> next.countDown(); done.complete(null) }

        assertThat(next.await(2, TimeUnit.SECONDS)).isTrue()
        stuck.countDown()
        dispatcher.shutdown()
    }

    private fun waitUntil(condition: () -> Boolean) {
        await().atMost(Duration.ofSeconds(5)).until { condition() }
    }
}
