package io.github.onsdelay.consumer.internal;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.github.onsdelay.consumer.DeliveryContext;
import io.github.onsdelay.consumer.DeliveryJournal;
import io.github.onsdelay.core.OnsDelayException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs a listener's handler for one delivery and reports its {@link Outcome} once:
 * <ol>
 * <li>an {@code idempotent} listener's handler runs inside the journal's record of its attempt
 * ({@link DeliveryJournal#handleOnce}); an attempt already recorded does not run;</li>
 * <li>the {@link HandlerInvoker} runs it in any of its forms (blocking, returning a future, suspending);</li>
 * <li>if it has not ended within the handler timeout, the attempt has failed: the outcome is reported then,
 * a future or suspended function is cancelled, and whatever the handler does later is ignored. A blocking
 * handler cannot be stopped: its thread stays with it (logged), while the container goes on.</li>
 * </ol>
 * An outcome is reported on a handler thread, never on a thread of the application's futures or of the timer.
 */
final class HandlerRun {

    private static final Log LOG = LogFactory.getLog(HandlerRun.class);

    /** What became of one handler run. */
    enum Kind {

        /** It returned normally, or true, or a stage that completed so. */
        SUCCEEDED,

        /** It threw an exception, returned false, or did not end within the timeout. */
        FAILED,

        /** The journal records this attempt as handled: it did not run. */
        ALREADY_HANDLED,

        /** It threw an {@link Error}: not the message's failure, the delivery comes again. */
        BROKEN

    }

    /**
     * @param kind what became of it
     * @param failure what it threw or why it failed, for {@link Kind#FAILED} and {@link Kind#BROKEN}
     */
    record Outcome(Kind kind, @Nullable Throwable failure) {

        static final Outcome SUCCEEDED = new Outcome(Kind.SUCCEEDED, null);

        static final Outcome ALREADY_HANDLED = new Outcome(Kind.ALREADY_HANDLED, null);

    }

    private final HandlerInvoker invoker;

    private final @Nullable DeliveryJournal idempotentJournal;

    private final Duration timeout;

    private final ScheduledExecutorService timers;

    private final Executor handlerThreads;

    private final ContainerCounters counters;

    /**
     * @param idempotentJournal the journal each attempt is recorded in, for an {@code idempotent} listener; null
     *     for others
     */
    HandlerRun(HandlerInvoker invoker, @Nullable DeliveryJournal idempotentJournal, Duration timeout,
            ScheduledExecutorService timers, Executor handlerThreads, ContainerCounters counters) {
        this.invoker = invoker;
        this.idempotentJournal = idempotentJournal;
        this.timeout = timeout;
        this.timers = timers;
        this.handlerThreads = handlerThreads;
        this.counters = counters;
    }

    HandlerInvoker invoker() {
        return invoker;
    }

    /**
     * Runs the handler on the calling handler thread until it returns (a blocking handler) or first suspends;
     * {@code outcome} is completed once, by the run or by the timeout, whichever comes first.
     */
    void run(Object payload, DeliveryContext context, CompletableFuture<Outcome> outcome) {
        Thread runner = Thread.currentThread();
        CompletableFuture<?>[] invocation = new CompletableFuture<?>[1];
        ScheduledFuture<?> timer = timers.schedule(() -> handlerThreads.execute(() -> {
            OnsDelayException late = new OnsDelayException(invoker.description() + " did not end within the handler "
                + "timeout of " + timeout.toMillis() + " ms on attempt " + context.attempt() + " of key "
                + context.businessKey());
            // Counted before the outcome, which settles the delivery at once: whoever sees it settled sees it counted.
            counters.timedOut.increment();
            if (!outcome.complete(new Outcome(Kind.FAILED, late))) {
                counters.timedOut.decrement();
            }
            else {
                CompletableFuture<?> running = invocation[0];
                if (running != null) {
                    running.cancel(true);
                }
                LOG.warn(late.getMessage() + "; the attempt counts as failed" + (running == null
                    ? " and thread '" + runner.getName() + "' stays with the handler until it returns" : ""));
            }
        }), timeout.toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture<Boolean> result = start(payload, context);
        invocation[0] = result;
        if (result.isDone()) {
            timer.cancel(false);
            outcome.complete(outcome(result));
        }
        else {
            result.whenCompleteAsync((ignored, ex) -> {
                timer.cancel(false);
                outcome.complete(outcome(result));
            }, handlerThreads);
        }
    }

    private CompletableFuture<Boolean> start(Object payload, DeliveryContext context) {
        DeliveryJournal journal = idempotentJournal;
        if (journal == null) {
            return invoker.invoke(payload, context);
        }
        try {
            Boolean handled = journal.handleOnce(context, () -> invoker.invoke(payload, context).join());
            return handled == null ? CompletableFuture.completedFuture(null) : CompletableFuture.completedFuture(handled);
        }
        catch (CompletionException ex) {
            return CompletableFuture.failedFuture(ex.getCause() != null ? ex.getCause() : ex);
        }
        catch (Exception | Error ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    private Outcome outcome(CompletableFuture<Boolean> result) {
        Throwable failure;
        try {
            Boolean succeeded = result.join();
            if (succeeded == null) {
                return Outcome.ALREADY_HANDLED;
            }
            if (succeeded) {
                return Outcome.SUCCEEDED;
            }
            failure = new OnsDelayException(invoker.description() + " returned false");
        }
        catch (CompletionException ex) {
            failure = ex.getCause() != null ? ex.getCause() : ex;
        }
        catch (CancellationException ex) {
            failure = ex;
        }
        return new Outcome(failure instanceof Error ? Kind.BROKEN : Kind.FAILED, failure);
    }

}
