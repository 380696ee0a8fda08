package io.github.onsdelay.consumer.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The broker calls that end a session's leases (acknowledgements, give-backs), at most {@link #LIMIT} in progress at
 * once ({@link #LIMIT_WHILE_HANDLERS_WAIT} while due messages wait for a handler); the others wait their turn in
 * order of arrival and start as calls end:
 * <ol>
 * <li>a call's deadline (the client's request timeout) then runs from when it starts, not from when it was asked
 * for. Handlers ending together (100,000 messages due at one instant, held until then) would otherwise open as
 * many calls at once, each timing out while it waited behind the others in the client: thousands of acknowledgements
 * failed that way in a midnight run, and their messages would have come back once their invisibility ended;</li>
 * <li>what waits costs a queue entry, not a call in the client and the server; a message's room in the container
 * frees only once its call ended, so the container's caps bound what waits here too;</li>
 * <li>a call whose lease ends soon starts at once, beyond the limit ({@link #startEndingBy}, at every lease tick):
 * a waiting acknowledgement is not renewed, and a lease that ended would let the broker deliver the message again
 * (its handler would run twice). A start past the limit costs one call more in flight, and only for a lease that
 * is about to end anyway.</li>
 * </ol>
 * Renewals do not wait here: a renewal queued behind acknowledgements could miss its lease's deadline.
 */
final class SettlementCalls {

    /**
     * Calls in progress at once: well above what one server answers per round trip here (about 10,000 calls/s at a
     * few milliseconds each), so the limit never slows a steady flow.
     */
    static final int LIMIT = 64;

    /**
     * Calls in progress at once while due messages wait for a handler: handlers first. With 100,000 due at one
     * instant the acknowledgements took two fifths of the machine's CPU beside the handlers; at 4 (against 64) the last
     * handler ran 2.9-3.4 s after the instant instead of 3.9-4.5 s, and the throughput of already-due messages stayed
     * the same (6,056 against 6,155 msgs/s, within the rounds' spread).
     */
    static final int LIMIT_WHILE_HANDLERS_WAIT = 4;

    private final Executor executor;

    private final BooleanSupplier handlersWaiting;

    private final Queue<Waiting> waiting = new ArrayDeque<>();

    private int running;

    /**
     * No waiting call's lease ends before this ({@link System#nanoTime}), so a lease tick that finds it beyond its
     * margin skips the scan of the queue, which a burst fills with tens of thousands: lowered as calls wait, raised
     * only by a scan, so it may be early (a scan that finds nothing), never late.
     */
    private long earliestDeadlineNanos;

    /**
     * @param executor where a call that ended at once lets the next one start, so that no stack grows
     * @param handlersWaiting whether due messages wait for a handler now
     */
    SettlementCalls(Executor executor, BooleanSupplier handlersWaiting) {
        this.executor = executor;
        this.handlersWaiting = handlersWaiting;
    }

    private int limit() {
        return handlersWaiting.getAsBoolean() ? LIMIT_WHILE_HANDLERS_WAIT : LIMIT;
    }

    /**
     * Starts {@code call} now, or once a call in progress ends, or once its lease ends within the margin of
     * {@link #startEndingBy}; the future completes as the call's does.
     *
     * @param leaseDeadlineNanos when the invisibility of the lease it ends runs out ({@link System#nanoTime})
     */
    <T> CompletableFuture<T> call(long leaseDeadlineNanos, Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable start = () -> start(call, result);
        synchronized (this) {
            if (running >= limit()) {
                if (waiting.isEmpty() || leaseDeadlineNanos - earliestDeadlineNanos < 0) {
                    earliestDeadlineNanos = leaseDeadlineNanos;
                }
                waiting.add(new Waiting(start, leaseDeadlineNanos));
                return result;
            }
            running++;
        }
        start.run();
        return result;
    }

    /** Starts every waiting call whose lease ends by {@code byNanos}, whatever the limit. */
    void startEndingBy(long byNanos) {
        List<Runnable> urgent = new ArrayList<>();
        synchronized (this) {
            if (waiting.isEmpty() || earliestDeadlineNanos - byNanos > 0) {
                return;
            }
            long earliest = Long.MAX_VALUE;
            boolean left = false;
            for (Iterator<Waiting> it = waiting.iterator(); it.hasNext();) {
                Waiting next = it.next();
                if (next.leaseDeadlineNanos - byNanos <= 0) {
                    it.remove();
                    urgent.add(next.start);
                    running++;
                }
                else if (!left || next.leaseDeadlineNanos - earliest < 0) {
                    earliest = next.leaseDeadlineNanos;
                    left = true;
                }
            }
            earliestDeadlineNanos = earliest;
        }
        urgent.forEach(Runnable::run);
    }

    private <T> void start(Supplier<CompletableFuture<T>> call, CompletableFuture<T> result) {
        CompletableFuture<T> started = startOrFail(call);
        if (started.isDone()) {
            try {
                executor.execute(() -> ended(started, result));
            }
            catch (RejectedExecutionException ex) {
                // The session's threads have stopped (a call failing at once during a close): no stack to grow.
                ended(started, result);
            }
        }
        else {
            started.whenComplete((value, ex) -> ended(started, result));
        }
    }

    private static <T> CompletableFuture<T> startOrFail(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        }
        catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    private <T> void ended(CompletableFuture<T> call, CompletableFuture<T> result) {
        List<Runnable> next = new ArrayList<>();
        synchronized (this) {
            running--;
            int limit = limit();
            while (running < limit && !waiting.isEmpty()) {
                next.add(waiting.remove().start);
                running++;
            }
        }
        // The next call starts before this one's result is passed on: whatever follows the result never delays it.
        next.forEach(Runnable::run);
        call.whenComplete((value, ex) -> {
            if (ex != null) {
                result.completeExceptionally(ex);
            }
            else {
                result.complete(value);
            }
        });
    }

    /** Calls waiting for their turn. */
    synchronized int waiting() {
        return waiting.size();
    }

    private record Waiting(Runnable start, long leaseDeadlineNanos) {
    }

}
