package io.github.onsdelay.consumer.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

    /** Deliveries acknowledged without running the handler: the journal found their attempt handled as it ran. */
    final LongAdder duplicates = new LongAdder();

    /** Deliveries skipped by a filter, by the filter's name (cancelled and handled attempts included). */
    private final Map<String, LongAdder> filtered = new ConcurrentHashMap<>();

    /** Copies of a message already held that arrived again (a broker's replay after a crash), joined to it. */
    final LongAdder copiesJoined = new LongAdder();

    /** Renewals of a lease the broker confirmed. */
    final LongAdder renewals = new LongAdder();

    /** Renewals that failed (each is tried again until the lease's deadline). */
    final LongAdder renewalFailures = new LongAdder();

    /** Acknowledgements and give-backs the broker did not confirm: those messages are delivered again. */
    final LongAdder settlementFailures = new LongAdder();

    /** Leases whose deadline passed without a renewal: the broker may deliver those messages again. */
    final LongAdder leasesLost = new LongAdder();

    /** Handler outcomes not applied because the message's lease was lost meanwhile. */
    final LongAdder outcomesDiscarded = new LongAdder();

    /** Handler runs that did not end within the handler timeout. */
    final LongAdder timedOut = new LongAdder();

    /** Held messages sent on as new messages at a stop, so that another instance has them at once. */
    final LongAdder handedOver = new LongAdder();

    /** Deliveries near the broker's redelivery limit that were sent again as new messages instead of given back. */
    final LongAdder resent = new LongAdder();

    /** Messages that arrived and were given back at once because they did not fit under the byte cap. */
    final LongAdder overCap = new LongAdder();

    /**
     * Calls made to the broker, answered or not: receives, acknowledgements, and invisibility changes (renewals
     * and give-backs); what a message costs the broker, for capacity planning.
     */
    final LongAdder receiveCalls = new LongAdder();

    final LongAdder ackCalls = new LongAdder();

    final LongAdder invisibilityCalls = new LongAdder();

    /** Held or handled now: received and not yet acknowledged or given back. */
    private final AtomicInteger occupied = new AtomicInteger();

    private final AtomicInteger inFlight = new AtomicInteger();

    private final AtomicInteger peak = new AtomicInteger();

    private final AtomicLong heldBytes = new AtomicLong();

    private final AtomicLong peakBytes = new AtomicLong();

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

    void filtered(String filter) {
        filtered.computeIfAbsent(filter, name -> new LongAdder()).increment();
    }

    long filteredBy(String filter) {
        LongAdder count = filtered.get(filter);
        return count == null ? 0 : count.sum();
    }

    Map<String, Long> filteredByName() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        filtered.forEach((name, count) -> counts.put(name, count.sum()));
        return counts;
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

    /** Body bytes held changed by {@code change}. */
    void heldBytes(long change) {
        long now = heldBytes.addAndGet(change);
        peakBytes.accumulateAndGet(now, Math::max);
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
            givenBack.sum(), new LatenessHistogram(bounds, counts, latenessMax.get()), filteredByName(),
            copiesJoined.sum(), renewalFailures.sum(), leasesLost.sum(), settlementFailures.sum(), outcomesDiscarded.sum(), timedOut.sum(),
            handedOver.sum(), resent.sum(), heldBytes.get(), peakBytes.get());
    }

}
