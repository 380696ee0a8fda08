package io.github.onsdelay.benchmarks.peers;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one scenario's handler saw: every body carries its scenario, its id and its due time, so the handler
 * needs nothing from the peer.
 * <ul>
 * <li>a delayed body ({@code L}): how late (or early) its handler ran, in microseconds, and how often;</li>
 * <li>a retried body ({@code R}): its first handling fails, its second succeeds and is timed, any further one is
 * a duplicate;</li>
 * <li>bodies of another scenario (a send of the throughput rows, due in an hour) are ignored.</li>
 * </ul>
 */
final class Recorder implements Peer.Delivery {

    /** About 1 KB per body, as the other benchmarks send. */
    private static final String FILLER = "x".repeat(1_000);

    private final char scenario;

    private final CountDownLatch done;

    private final Map<String, Long> firstRun = new ConcurrentHashMap<>();

    private final Map<String, Boolean> succeeded = new ConcurrentHashMap<>();

    private final long[] values;

    private final AtomicLong size = new AtomicLong();

    private final AtomicLong duplicates = new AtomicLong();

    private volatile long lastDone;

    Recorder(char scenario, int expected) {
        this.scenario = scenario;
        this.done = new CountDownLatch(expected);
        this.values = new long[expected];
    }

    static String delayedBody(String id, long dueEpochMillis) {
        return "L|" + id + "|" + dueEpochMillis + "|" + FILLER;
    }

    static String retriedBody(String id) {
        return "R|" + id + "|0|" + FILLER;
    }

    static String parkedBody(String id) {
        return "P|" + id + "|0|" + FILLER;
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return TimeUnit.SECONDS.toMicros(now.getEpochSecond()) + now.getNano() / 1_000;
    }

    @Override
    public void handle(String body) {
        long now = nowMicros();
        if (body.charAt(0) != scenario) {
            return;
        }
        int idEnd = body.indexOf('|', 2);
        String id = body.substring(2, idEnd);
        if (scenario == 'L') {
            long due = Long.parseLong(body, idEnd + 1, body.indexOf('|', idEnd + 1), 10);
            if (firstRun.putIfAbsent(id, now) == null) {
                add(now - due * 1_000);
                finish(now);
            }
            else {
                duplicates.incrementAndGet();
            }
            return;
        }
        Long failedAt = firstRun.putIfAbsent(id, now);
        if (failedAt == null) {
            throw new IllegalStateException("fails on its first delivery, as the scenario wants");
        }
        if (succeeded.putIfAbsent(id, Boolean.TRUE) == null) {
            add(now - failedAt);
            finish(now);
        }
        else {
            duplicates.incrementAndGet();
        }
    }

    private void add(long value) {
        int index = (int) size.getAndIncrement();
        if (index < values.length) {
            values[index] = value;
        }
    }

    private void finish(long now) {
        lastDone = now;
        done.countDown();
    }

    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    /** Bodies handled (delayed) or succeeded (retried), once each. */
    int completed() {
        return (int) Math.min(size.get(), values.length);
    }

    /** Lateness (delayed) or failure-to-success gap (retried), microseconds, ascending. */
    long[] sorted() {
        long[] copy = Arrays.copyOf(values, completed());
        Arrays.sort(copy);
        return copy;
    }

    long duplicates() {
        return duplicates.get();
    }

    /** When each body's first handler run started (microseconds since the epoch), ascending. */
    long[] firstRuns() {
        long[] copy = firstRun.values().stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(copy);
        return copy;
    }

    long lastDoneMicros() {
        return lastDone;
    }

}
