package io.github.onsdelay.consumer.internal

import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger

class SettlementCallsTests {

    /** A lease deadline an hour away: never urgent in these tests. */
    private val later = System.nanoTime() + TimeUnit.HOURS.toNanos(1)

    @Test
    fun `at most LIMIT calls are in progress, the others start in order as calls end`() {
        val calls = SettlementCalls(Runnable::run, { false })
        val open = List(SettlementCalls.LIMIT + 10) { CompletableFuture<String>() }
        val started = mutableListOf<Int>()
        val results = open.mapIndexed { index, future -> calls.call(later) { synchronized(started) { started.add(index) }; future } }

        assertThat(started).hasSize(SettlementCalls.LIMIT)
        assertThat(calls.waiting()).isEqualTo(10)
        open[0].complete("first")
        assertThat(started).hasSize(SettlementCalls.LIMIT + 1).endsWith(SettlementCalls.LIMIT)
        assertThat(results[0].getNow(null)).isEqualTo("first")
        open.forEach { it.complete("done") }
        assertThat(started).containsExactlyElementsOf(open.indices.toList())
        assertThat(calls.waiting()).isZero()
        assertThat(results).allMatch { it.isDone }
    }

    @Test
    fun `while handlers wait only a few calls are in progress, and more start once they no longer wait`() {
        val handlersWait = AtomicBoolean(true)
        val calls = SettlementCalls(Runnable::run, { handlersWait.get() })
        val open = List(20) { CompletableFuture<Void>() }
        val started = AtomicInteger()
        open.forEach { future -> calls.call(later) { started.incrementAndGet(); future } }

        assertThat(started.get()).isEqualTo(SettlementCalls.LIMIT_WHILE_HANDLERS_WAIT)
        handlersWait.set(false)
        open[0].complete(null)
        assertThat(started.get()).isEqualTo(20)
    }

    @Test
    fun `a waiting call whose lease ends soon starts at the tick beyond the limit, the others keep waiting`() {
        val calls = SettlementCalls(Runnable::run, { true })
        val now = System.nanoTime()
        val open = List(SettlementCalls.LIMIT_WHILE_HANDLERS_WAIT) { CompletableFuture<Void>() }
        open.forEach { future -> calls.call(later) { future } }
        val soon = AtomicBoolean()
        val notYet = AtomicBoolean()
        calls.call<String>(now + TimeUnit.SECONDS.toNanos(3)) { soon.set(true); CompletableFuture.completedFuture("acknowledged") }
        calls.call<String>(now + TimeUnit.SECONDS.toNanos(30)) { notYet.set(true); CompletableFuture.completedFuture("acknowledged") }
        assertThat(calls.waiting()).isEqualTo(2)

        // The lease tick with a renew-before of 5 s: the lease ending in 3 s cannot wait for a place.
        calls.startEndingBy(now + TimeUnit.SECONDS.toNanos(5))

        assertThat(soon).isTrue()
        assertThat(notYet).isFalse()
        assertThat(calls.waiting()).isEqualTo(1)
        open.forEach { it.complete(null) }
        assertThat(notYet).isTrue()
    }

    @Test
    fun `a tick finds a call that waits behind later ones, and after a scan the next soonest still starts at its tick`() {
        val calls = SettlementCalls(Runnable::run, { true })
        val now = System.nanoTime()
        List(SettlementCalls.LIMIT_WHILE_HANDLERS_WAIT) { CompletableFuture<Void>() }.forEach { future -> calls.call(later) { future } }
        val started = mutableListOf<String>()
        fun waitFor(name: String, inSeconds: Long) =
            calls.call<String>(now + TimeUnit.SECONDS.toNanos(inSeconds)) { started.add(name); CompletableFuture.completedFuture(name) }
        waitFor("in an hour", 3600)
        calls.startEndingBy(now + TimeUnit.SECONDS.toNanos(5))
        waitFor("in 30 s", 30)
        waitFor("in 3 s", 3)

        calls.startEndingBy(now + TimeUnit.SECONDS.toNanos(5))
        assertThat(started).containsExactly("in 3 s")
        calls.startEndingBy(now + TimeUnit.SECONDS.toNanos(29))
        assertThat(started).containsExactly("in 3 s")
        calls.startEndingBy(now + TimeUnit.SECONDS.toNanos(31))
        assertThat(started).containsExactly("in 3 s", "in 30 s")
        assertThat(calls.waiting()).isEqualTo(1)
    }

    @Test
    fun `calls that fail at once pass their failure on and never stop the queue`() {
        val executor = Executors.newSingleThreadExecutor()
        try {
            val calls = SettlementCalls(executor, { false })
            val results = List(10_000) { calls.call<Void>(later) { throw IllegalStateException("refused $it") } }

            CompletableFuture.allOf(*results.map { it.exceptionally { null } }.toTypedArray()).get(10, TimeUnit.SECONDS)
            assertThat(results).allMatch { it.isCompletedExceptionally }
            assertThat(calls.waiting()).isZero()
        }
        finally {
            executor.shutdownNow()
        }
    }

}
