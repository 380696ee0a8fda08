package io.github.onsdelay.benchmarks.peers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The benchmarks' one measuring loop: an operation repeated for a window of time, synchronous on some threads or
 * asynchronous with a bound on how many are in flight.
 */
public final class Throughput {

    private Throughput() {
    }

    /** One operation, synchronous. */
    @FunctionalInterface
    public interface Operation {

        void run() throws Exception;

    }

    /** One asynchronous operation: when it completes, it calls {@code done} with 1, or 0 when it failed. */
    @FunctionalInterface
    public interface AsyncOperation {

        void start(LongConsumer done);

    }

    /** Operations per second over the window, and each operation's duration in nanoseconds. */
    public record Measured(double rate, List<Long> latencies) {
    }

    /** Runs {@code operation} on {@code threads} threads until the window ends; any failure ends the measurement. */
    public static Measured measure(Operation operation, int threads, Duration window) throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicLong count = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + window.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                List<Long> mine = new ArrayList<>();
                try {
                    while (System.nanoTime() < deadline) {
                        long began = System.nanoTime();
                        operation.run();
                        mine.add(System.nanoTime() - began);
                        count.incrementAndGet();
                    }
                }
                catch (Throwable ex) {
                    failures.add(ex);
                }
                latencies.addAll(mine);
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("A measured operation failed", failures.get(0));
        }
        return new Measured(count.get() / (Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0), latencies);
    }

    /**
     * Starts {@code operation} again and again until the window ends, at most {@code inFlight} at a time; the
     * operations that completed successfully per second, from the start until the last one in flight completed.
     */
    public static double measureAsync(AsyncOperation operation, int inFlight, Duration window) throws InterruptedException {
        Semaphore permits = new Semaphore(inFlight);
        AtomicLong completed = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + window.toNanos();
        while (System.nanoTime() < deadline) {
            permits.acquire();
            operation.start(ok -> {
                completed.addAndGet(ok);
                permits.release();
            });
        }
        permits.acquire(inFlight);
        permits.release(inFlight);
        return completed.get() / (Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0);
    }

}
