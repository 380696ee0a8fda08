package io.github.onsdelay.consumer.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.github.onsdelay.consumer.ListenerFigures;

/**
 * The figures of one container, kept across its restarts.
 */
final class ContainerCounters {

    final LongAdder received = new LongAdder();

    final LongAdder heldEarly = new LongAdder();

    final LongAdder succeeded = new LongAdder();

    final LongAdder retried = new LongAdder();

    final LongAdder exhausted = new LongAdder();

    final LongAdder poison = new LongAdder();

    final LongAdder hops = new LongAdder();

    final LongAdder otherGroups = new LongAdder();

    final LongAdder givenBack = new LongAdder();

    /** Held or handled now: received and not yet acknowledged or given back. */
    private final AtomicInteger occupied = new AtomicInteger();

    private final AtomicInteger inFlight = new AtomicInteger();

    private final AtomicInteger peak = new AtomicInteger();

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
        return new ListenerFigures(received.sum(), heldEarly.sum(), Math.max(0, occupied.get() - handling), peak.get(),
            handling, succeeded.sum(), retried.sum(), exhausted.sum(), poison.sum(), hops.sum(), otherGroups.sum(),
            givenBack.sum());
    }

}
