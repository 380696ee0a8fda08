package io.github.onsdelay.consumer.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs a listener's handlers with at most {@code concurrency} in progress at once, without ever blocking the
 * caller: a task submitted while all places are taken waits in a queue and starts when a place frees. A task
 * holds its place until it completes the future it is given, from any thread: so a handler that returns a
 * future or suspends counts as in progress without holding a thread, and a blocking handler that outlasts its
 * timeout gives its place up while its thread stays with it. Threads are made as needed and end after a minute
 * idle, so such a thread never takes the place of another handler's.
 */
final class HandlerDispatcher {

    private final int concurrency;

    private final ThreadPoolExecutor threads;

    private final Queue<Consumer<CompletableFuture<Void>>> waiting = new ArrayDeque<>();

    private int running;

    HandlerDispatcher(String name, int concurrency) {
        this.concurrency = concurrency;
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
            factory);
    }

    /** The handler threads, for work that continues a handler run (a retry send, an exhaustion handler). */
    Executor threads() {
        return threads;
    }

    /** Starts {@code task} on a handler thread now, or once a place frees; it frees its place by completing the future. */
    void submit(Consumer<CompletableFuture<Void>> task) {
        synchronized (this) {
            if (running >= concurrency) {
                waiting.add(task);
                return;
            }
            running++;
        }
        start(task);
    }

    private void start(Consumer<CompletableFuture<Void>> task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        done.whenComplete((result, ex) -> next());
        threads.execute(() -> {
            try {
                task.accept(done);
            }
            catch (RuntimeException | Error ex) {
                done.completeExceptionally(ex);
            }
        });
    }

    private void next() {
        Consumer<CompletableFuture<Void>> task;
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
