package io.github.onsdelay.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.onsdelay.benchmarks.peers.Stats;

/** The lateness of each handled message (handler start - due time, ms; negative: early), until a target is reached. */
final class LatenessRecorder {

    private volatile long[] values = new long[0];

    private final AtomicLong size = new AtomicLong();

    private volatile CountDownLatch latch = new CountDownLatch(0);

    void reset(int expected) {
        values = new long[expected * 2];
        size.set(0);
        latch = new CountDownLatch(expected);
    }

    void record(long lateness) {
        long index = size.getAndIncrement();
        if (index < values.length) {
            values[(int) index] = lateness;
        }
        latch.countDown();
    }

    void await(Duration timeout) throws InterruptedException {
        latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    long[] sorted() {
        long[] copy = Arrays.copyOf(values, (int) Math.min(size.get(), values.length));
        Arrays.sort(copy);
        return copy;
    }

    /** How many of the sorted values are early (negative). */
    static long early(long[] sorted) {
        return Arrays.stream(sorted).filter(v -> v < 0).count();
    }

    /** Count, p50, p99, max and early of sorted values, for the log. */
    static String describe(long[] sorted) {
        return String.format(Locale.ROOT, "n=%d p50=%d p99=%d max=%d early=%d", sorted.length,
            Stats.percentile(sorted, 50), Stats.percentile(sorted, 99), Stats.percentile(sorted, 100), early(sorted));
    }

}
