package io.github.onsdelay.consumer.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs a listener's handlers with at most {@code concurrency} in progress at once, without ever blocking the
 * caller: a task submitted while all places are taken waits in a queue and starts when a place frees. A
 * place is held until the task's future completes, so a handler that returns a future or suspends counts as
 * in progress without holding a thread; blocking handlers run on {@code concurrency} threads of their own.
 */
final class HandlerDispatcher {

    private final int concurrency;

    private final ThreadPoolExecutor threads;

    private final Queue<Supplier<CompletableFuture<?>>> waiting = new ArrayDeque<>();

    private int running;

    HandlerDispatcher(String name, int concurrency) {
        this.concurrency = concurrency;
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.threads = new ThreadPoolExecutor(concurrency, concurrency, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            factory);
        this.threads.allowCoreThreadTimeOut(true);
    }

    /** The handler threads, for work that continues a handler run (a retry send, an exhaustion handler). */
    Executor threads() {
        return threads;
    }

    /** Starts {@code task} on a handler thread now, or once a place frees. */
    void submit(Supplier<CompletableFuture<?>> task) {
        synchronized (this) {
            if (running >= concurrency) {
                waiting.add(task);
                return;
            }
            running++;
        }
        start(task);
    }

    private void start(Supplier<CompletableFuture<?>> task) {
        threads.execute(() -> {
            CompletableFuture<?> done;
            try {
                done = task.get();
            }
            catch (RuntimeException | Error ex) {
                done = CompletableFuture.failedFuture(ex);
            }
            done.whenComplete((result, ex) -> next());
        });
    }

    private void next() {
        Supplier<CompletableFuture<?>> task;
        synchronized (this) {
            task = waiting.poll();
            if (task == null) {
                running--;
                return;
            }
        }
        start(task);
    }

    /** Handler runs in progress. */
    synchronized int running() {
        return running;
    }

    /** Tasks waiting for a place. */
    synchronized int waiting() {
        return waiting.size();
    }

    void shutdown() {
        threads.shutdown();
    }

}
