package io.github.onsdelay.benchmarks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongUnaryOperator;

/**
 * Asynchronous sends of a scenario's bodies, at most {@link #IN_FLIGHT} unanswered at once, spread evenly over a
 * time (or all at once), each body's due time computed from the moment it is sent. Both sides of a scenario (the
 * library's producer, the raw client) send through a {@link Sender}.
 */
final class AsyncSends {

    static final int IN_FLIGHT = 512;

    private AsyncSends() {
    }

    /**
     * Sends {@code count} bodies with ids {@code prefix + i}, evenly over {@code over} ({@link Duration#ZERO}: as fast
     * as answers come), each due at {@code dueAt} of the wall-clock milliseconds of its send; returns how many sends
     * failed, once all were answered.
     */
    static int send(Sender send, String prefix, int count, Duration over, LongUnaryOperator dueAt)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<Throwable> first = new AtomicReference<>();
        long start = System.nanoTime();
        long stepNanos = over.toNanos() / count;
        for (int i = 0; i < count; i++) {
            long wait = start + i * stepNanos - System.nanoTime();
            if (wait > 1_000_000) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            inFlight.acquire();
            send.send(prefix + i, dueAt.applyAsLong(System.currentTimeMillis())).whenComplete((receipt, ex) -> {
                if (ex != null) {
                    failed.incrementAndGet();
                    first.compareAndSet(null, ex);
                }
                inFlight.release();
            });
        }
        inFlight.acquire(IN_FLIGHT);
        if (failed.get() > 0) {
            BenchLog.log("warning: " + failed.get() + " of " + count + " sends failed, the first with " + first.get());
        }
        return failed.get();
    }

    /** One asynchronous send of the body with this id, due at this epoch millisecond. */
    @FunctionalInterface
    interface Sender {

        CompletableFuture<?> send(String id, long due);

    }

}
