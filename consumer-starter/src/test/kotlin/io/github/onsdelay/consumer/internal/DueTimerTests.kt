package io.github.onsdelay.consumer.internal

import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneId
import java.time.ZoneOffset
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicReference

class DueTimerTests {

    /** A clock that runs a fixed amount behind the system clock: the monotonic timer fires "early" by it. */
    class LaggingClock(private val lag: Duration) : Clock() {
        override fun getZone(): ZoneId = ZoneOffset.UTC
        override fun withZone(zone: ZoneId): Clock = this
        override fun instant(): Instant = Instant.now().minus(lag)
    }

    @Test
    fun `a task runs once the clock has reached its instant, never before`() {
        val timer = DueTimer(Clock.systemUTC())
        val ranAt = AtomicReference<Instant>()
        val done = CountDownLatch(1)
        val due = Instant.now().plusMillis(150)

        timer.schedule(due) { ranAt.set(Instant.now()); done.countDown() }

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue()
        assertThat(ranAt.get()).isAfterOrEqualTo(due)
        timer.close()
    }

    @Test
    fun `when the clock reads behind the timer, the task is put back for the rest rather than run early`() {
        // The clock jumps: it reads 300 ms behind real time after the task is scheduled.
        val lag = AtomicReference(Duration.ZERO)
        val clock = object : Clock() {
            override fun getZone(): ZoneId = ZoneOffset.UTC
            override fun withZone(zone: ZoneId): Clock = this
            override fun instant(): Instant = Instant.now().minus(lag.get())
        }
        val timer = DueTimer(clock)
        val ranAtClock = AtomicReference<Instant>()
        val done = CountDownLatch(1)
        val due = clock.instant().plusMillis(100)

        timer.schedule(due) { ranAtClock.set(clock.instant()); done.countDown() }
        lag.set(Duration.ofMillis(300))

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue()
        assertThat(ranAtClock.get()).isAfterOrEqualTo(due)
        timer.close()
    }

    @Test
    fun `a cancelled task never runs`() {
        val timer = DueTimer(Clock.systemUTC())
        val ran = CountDownLatch(1)

        timer.schedule(Instant.now().plusMillis(100)) { ran.countDown() }.cancel(false)

        assertThat(ran.await(400, TimeUnit.MILLISECONDS)).isFalse()
        timer.close()
    }
}
