package io.github.onsdelay.consumer.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import io.github.onsdelay.consumer.LatenessHistogram;
import io.github.onsdelay.consumer.ListenerFigures;

/**
 * The figures of one container, kept across its restarts, and the lateness of each handler start, counted
 * in buckets and passed on to whoever listens (the Micrometer timer).
 */
final class ContainerCounters {

    /** Upper bounds of the lateness buckets, in milliseconds. */
    static final long[] LATENESS_BOUNDS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000};

    private final AtomicLong[] latenessBuckets = new AtomicLong[LATENESS_BOUNDS.length + 1];

    private final AtomicLong latenessMax = new AtomicLong();

    private final List<Consumer<Duration>> latenessListeners = new CopyOnWriteArrayList<>();

    final LongAdder received = new LongAdder();

    final LongAdder heldEarly = new LongAdder();

    final LongAdder succeeded = new LongAdder();

    final LongAdder retried = new LongAdder();

    final LongAdder exhausted = new LongAdder();

    final LongAdder poison = new LongAdder();

    final LongAdder hops = new LongAdder();

    final LongAdder otherGroups = new LongAdder();

    final LongAdder givenBack = new LongAdder();

    /** Deliveries acknowledged without running the handler: their key was cancelled. */
    final LongAdder cancelled = new LongAdder();

    /** Deliveries acknowledged without running the handler: their attempt was already handled. */
    final LongAdder duplicates = new LongAdder();

    /** Held or handled now: received and not yet acknowledged or given back. */
    private final AtomicInteger occupied = new AtomicInteger();

    private final AtomicInteger inFlight = new AtomicInteger();

    private final AtomicInteger peak = new AtomicInteger();

    ContainerCounters() {
        for (int i = 0; i < latenessBuckets.length; i++) {
            latenessBuckets[i] = new AtomicLong();
        }
    }

    /** A handler started this long after its due time. */
    void lateness(Duration lateness) {
        long millis = Math.max(0, lateness.toMillis());
        int bucket = 0;
        while (bucket < LATENESS_BOUNDS.length && millis > LATENESS_BOUNDS[bucket]) {
            bucket++;
        }
        latenessBuckets[bucket].incrementAndGet();
        latenessMax.accumulateAndGet(millis, Math::max);
        for (Consumer<Duration> listener : latenessListeners) {
            listener.accept(lateness);
        }
    }

    void onLateness(Consumer<Duration> listener) {
        latenessListeners.add(listener);
    }

    void occupy(int count) {
        int now = occupied.addAndGet(count);
        peak.accumulateAndGet(now, Math::max);
    }

    void release() {
        occupied.decrementAndGet();
    }

    int occupied() {
        return occupied.get();
    }

    void handlerStarted() {
        inFlight.incrementAndGet();
    }

    void handlerEnded() {
        inFlight.decrementAndGet();
    }

    ListenerFigures snapshot() {
        int handling = inFlight.get();
        List<Long> bounds = new ArrayList<>();
        for (long bound : LATENESS_BOUNDS) {
            bounds.add(bound);
        }
        List<Long> counts = new ArrayList<>();
        for (AtomicLong bucket : latenessBuckets) {
            counts.add(bucket.get());
        }
        return new ListenerFigures(received.sum(), heldEarly.sum(), Math.max(0, occupied.get() - handling), peak.get(),
            handling, succeeded.sum(), retried.sum(), exhausted.sum(), poison.sum(), hops.sum(), otherGroups.sum(),
            givenBack.sum(), new LatenessHistogram(bounds, counts, latenessMax.get()));
    }

}
