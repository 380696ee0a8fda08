package io.github.onsdelay.consumer.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks at wall-clock instants, never before them: one thread, parked until the earliest instant (a
 * heap, so any number of waiting tasks costs no thread), which only hands each task on and never runs a
 * handler itself. A task that wakes before its instant by the {@link Clock} (the monotonic timer and the
 * wall clock drift apart) is put back for the rest.
 */
final class DueTimer implements AutoCloseable {

    private final Clock clock;

    private final ScheduledThreadPoolExecutor executor;

    DueTimer(Clock clock) {
        this.clock = clock;
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "ons-delay-due-timer");
            thread.setDaemon(true);
            // Lateness is this thread's wake-up latency: let it win against handler threads.
            thread.setPriority(Thread.MAX_PRIORITY);
            return thread;
        });
        this.executor.setRemoveOnCancelPolicy(true);
        this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    Clock clock() {
        return clock;
    }

    /**
     * Runs {@code task} on the timer thread once the clock reaches {@code dueAt} (at once when it has).
     * @return a handle to cancel it
     */
    Future<?> schedule(Instant dueAt, Runnable task) {
        Handle handle = new Handle(dueAt, task);
        handle.arm();
        return handle;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** One scheduled task, re-armed until the clock has reached its instant. */
    private final class Handle extends CompletableFuture<Void> implements Runnable {

        private final Instant dueAt;

        private final Runnable task;

        private volatile Future<?> current;

        Handle(Instant dueAt, Runnable task) {
            this.dueAt = dueAt;
            this.task = task;
        }

        void arm() {
            long nanos = Duration.between(clock.instant(), dueAt).toNanos();
            try {
                current = executor.schedule(this, Math.max(0, nanos), TimeUnit.NANOSECONDS);
            }
            catch (RejectedExecutionException ex) {
                // Closed: the containers gave back what they held before the timer stopped.
                cancel(false);
            }
        }

        @Override
        public void run() {
            if (isDone()) {
                return;
            }
            if (clock.instant().isBefore(dueAt)) {
                arm();
                return;
            }
            complete(null);
            task.run();
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            Future<?> armed = current;
            if (armed != null) {
                armed.cancel(false);
            }
            return super.cancel(mayInterruptIfRunning);
        }

    }

}
