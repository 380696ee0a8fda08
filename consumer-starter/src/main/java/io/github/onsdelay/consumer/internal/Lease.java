package io.github.onsdelay.consumer.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.MessageView;

/**
 * One received copy of a message while the container keeps it invisible to the group's other consumers:
 * <ol>
 * <li>its invisibility ends at a deadline counted from when the receive was sent, so it never ends later than
 * believed here;</li>
 * <li>it is renewed from {@code renewBefore} ahead of that deadline, and tried again at every renewal tick while
 * a renewal fails; the deadline moves only once the broker confirmed a renewal, and the handle the broker
 * returned is {@linkplain ReceiptHandles mended};</li>
 * <li>once the deadline passes without a renewal it is lost: another consumer may have the message now, so
 * the outcome of a handler run here must not be applied (no retry, no exhaustion, no give-back);</li>
 * <li>it ends with an acknowledgement or a give-back, which wait their turn in the session's
 * {@link SettlementCalls}.</li>
 * </ol>
 * Its broker operations run one after another: a renewal changes the handle the next operation must use.
 */
final class Lease {

    private static final Log LOG = LogFactory.getLog(Lease.class);

    /** Where a lease stands; it only moves forward. */
    enum State {

        /** Invisible to the group's other consumers until the deadline. */
        HELD,

        /** The deadline passed without a renewal: the broker may have delivered the message again. */
        LOST,

        /** Acknowledged or given back. */
        ENDED

    }

    final MessageView view;

    private final SimpleConsumer consumer;

    private final Duration invisibleDuration;

    private final LeaseEvents events;

    private final SettlementCalls settlementCalls;

    private final ContainerCounters counters;

    private final AtomicReference<State> state = new AtomicReference<>(State.HELD);

    private final AtomicBoolean renewing = new AtomicBoolean();

    private volatile long deadlineNanos;

    private volatile int failures;

    private CompletableFuture<?> lastOperation = CompletableFuture.completedFuture(null);

    /**
     * @param receiveSentNanos when the receive that brought it was sent: its invisibility runs from no earlier
     * @param settlementCalls where its acknowledgement or give-back waits its turn
     * @param counters where its calls to the broker are counted
     */
    Lease(SimpleConsumer consumer, MessageView view, Duration invisibleDuration, long receiveSentNanos,
            LeaseEvents events, SettlementCalls settlementCalls, ContainerCounters counters) {
        this.consumer = consumer;
        this.settlementCalls = settlementCalls;
        this.counters = counters;
        this.view = view;
        this.invisibleDuration = invisibleDuration;
        this.events = events;
        this.deadlineNanos = receiveSentNanos + invisibleDuration.toNanos();
    }

    State state() {
        return state.get();
    }

    /** Whether it is held and its deadline has not passed. */
    boolean isHeld() {
        if (state.get() != State.HELD) {
            return false;
        }
        if (System.nanoTime() - deadlineNanos >= 0) {
            lose();
            return false;
        }
        return true;
    }

    /** Renews it when its deadline is within {@code renewBeforeNanos}; a renewal in progress is not doubled. */
    void renewIfDue(long nowNanos, long renewBeforeNanos) {
        if (state.get() != State.HELD) {
            return;
        }
        if (nowNanos - deadlineNanos >= 0) {
            lose();
            return;
        }
        if (deadlineNanos - nowNanos > renewBeforeNanos || !renewing.compareAndSet(false, true)) {
            return;
        }
        long sentAt = System.nanoTime();
        then(() -> countedInvisibilityCall().changeInvisibleDurationAsync(view, invisibleDuration)
            // Mended before the next operation on this lease starts, which uses the handle.
            .thenApply(ignored -> ReceiptHandles.mendAfterRenewal(view)))
            .whenComplete((mended, ex) -> {
                if (ex == null) {
                    deadlineNanos = sentAt + invisibleDuration.toNanos();
                    events.renewed(this, failures);
                    failures = 0;
                }
                else if (state.get() == State.HELD) {
                    failures++;
                    events.renewalFailed(this, failures, ex);
                }
                renewing.set(false);
            });
    }

    /** Acknowledges it; tried even when lost, since the broker may still hold it by this handle. */
    CompletableFuture<Void> acknowledge() {
        state.set(State.ENDED);
        return then(() -> settlementCalls.call(deadlineNanos, () -> {
            counters.ackCalls.increment();
            return consumer.ackAsync(view);
        }));
    }

    /** Gives it back to be delivered again after {@code delay}; nothing to give back when it is lost. */
    CompletableFuture<Void> giveBack(Duration delay) {
        if (!state.compareAndSet(State.HELD, State.ENDED)) {
            state.set(State.ENDED);
            return CompletableFuture.completedFuture(null);
        }
        return then(() -> settlementCalls.call(deadlineNanos,
            () -> countedInvisibilityCall().changeInvisibleDurationAsync(view, delay)));
    }

    /** Forgets it without a broker operation: its copy is in another lease's hands, or the broker's again. */
    void abandon() {
        state.set(State.ENDED);
    }

    private SimpleConsumer countedInvisibilityCall() {
        counters.invisibilityCalls.increment();
        return consumer;
    }

    private void lose() {
        if (state.compareAndSet(State.HELD, State.LOST)) {
            events.lost(this, failures);
        }
    }

    private synchronized <T> CompletableFuture<T> then(Supplier<CompletableFuture<T>> operation) {
        CompletableFuture<T> next = lastOperation.handle((result, ex) -> null).thenCompose(ignored -> operation.get());
        lastOperation = next;
        return next;
    }

    @Override
    public String toString() {
        return "Lease[" + view.getMessageId() + ", " + state.get() + ", delivery " + view.getDeliveryAttempt() + "]";
    }

    /** What happens to leases, for the container's figures and log. */
    interface LeaseEvents {

        void renewed(Lease lease, int failuresBefore);

        void renewalFailed(Lease lease, int failures, Throwable failure);

        void lost(Lease lease, int failures);

    }

}
