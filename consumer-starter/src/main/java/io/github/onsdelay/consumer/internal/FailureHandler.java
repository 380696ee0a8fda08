package io.github.onsdelay.consumer.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.github.onsdelay.consumer.DeliveryContext;
import io.github.onsdelay.consumer.Exhaustion;
import io.github.onsdelay.consumer.ListenerEvent;
import io.github.onsdelay.consumer.OnsRetryPolicy;
import io.github.onsdelay.core.PayloadConversionException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Decides what a failed attempt leads to, and does it:
 * <ol>
 * <li>the {@link OnsRetryPolicy} gives the delay of the next attempt: attempt n+1 is sent, due that long after
 * now, to this group only, and the delivery is acknowledged once the broker accepted it; if the send fails, the
 * delivery is given back. The send does not hold the handler's thread: at 20 handler threads each waiting for its
 * retry's round trip, a burst of failures was handled at the pace of those round trips;</li>
 * <li>no next attempt (or an unreadable message, poison): the message is exhausted into the
 * {@link Recoverers}, and acknowledged once they all ran; if one fails, the delivery is given back.</li>
 * </ol>
 * Retries and exhaustions are counted and kept for operators.
 */
final class FailureHandler {

    private static final Log LOG = LogFactory.getLog(FailureHandler.class);

    private final String group;

    private final OnsRetryPolicy policy;

    private final MessageResender resender;

    private final Recoverers recoverers;

    private final ContainerCounters counters;

    private final RecentListenerEvents events;

    FailureHandler(String group, OnsRetryPolicy policy, MessageResender resender, Recoverers recoverers,
            ContainerCounters counters, RecentListenerEvents events) {
        this.group = group;
        this.policy = policy;
        this.resender = resender;
        this.recoverers = recoverers;
        this.counters = counters;
        this.events = events;
    }

    /**
     * Attempt {@code context.attempt()} failed with {@code failure}: retry it, or exhaust it. The retry's send
     * does not wait on the calling thread (a handler thread): the disposition completes once the broker took it.
     */
    CompletableFuture<Disposition> failed(HeldMessage message, Delivery delivery, DeliveryContext context,
            Object payload, Throwable failure, ObservedOutcome observed) {
        Optional<Duration> delay;
        try {
            delay = policy.nextDelay(context, failure);
        }
        catch (RuntimeException ex) {
            LOG.error("The retry policy of group '" + group + "' failed for key " + delivery.businessKey()
                + "; giving the delivery back to the broker", ex);
            return CompletableFuture.completedFuture(Disposition.giveBack("the retry policy failed: " + ex));
        }
        if (delay.isEmpty()) {
            return CompletableFuture.completedFuture(
                exhaust(message, Exhaustion.Reason.RETRIES_EXHAUSTED, payload, context, failure, observed));
        }
        int next = delivery.attempt() + 1;
        // The policy's delay as configured; a test's time scale shortens it here.
        Instant dueAt = resender.sender().clock().instant().truncatedTo(ChronoUnit.MILLIS)
            .plus(resender.sender().timeScale().scale(delay.get())).truncatedTo(ChronoUnit.MILLIS);
        return resender.sendAsync(message, delivery, next, dueAt, Map.of()).handle((receipt, ex) -> {
            if (ex != null) {
                Throwable cause = ex instanceof CompletionException && ex.getCause() != null ? ex.getCause() : ex;
                LOG.warn("Could not send attempt " + next + " of key " + delivery.businessKey() + " for group '"
                    + group + "'; giving the delivery back to the broker to be delivered again: " + cause.getMessage());
                return Disposition.giveBack("sending attempt " + next + " failed: " + cause.getMessage());
            }
            counters.retried.increment();
            observed.outcome("retry");
            events.record(new ListenerEvent(ListenerEvent.Type.RETRY, group, delivery.producer(),
                delivery.businessKey(), delivery.attempt(), resender.sender().clock().instant(), dueAt,
                String.valueOf(failure)));
            if (LOG.isInfoEnabled()) {
                LOG.info("Attempt " + delivery.attempt() + " of key " + delivery.businessKey() + " failed in group '"
                    + group + "' (" + failure + "); attempt " + next + " is due at " + dueAt);
            }
            return Disposition.ACKNOWLEDGE;
        });
    }

    /** Runs the recoverers for a message that will not be handled again; acknowledged once they all ran. */
    Disposition exhaust(HeldMessage message, Exhaustion.Reason reason, @Nullable Object payload,
            DeliveryContext context, Throwable lastError, ObservedOutcome observed) {
        boolean poison = reason == Exhaustion.Reason.POISON;
        observed.outcome(poison ? "poison" : "exhausted");
        observed.error(lastError);
        try {
            recoverers.recover(new Exhaustion(reason, payload, message.body(), context, lastError));
        }
        catch (RuntimeException ex) {
            LOG.error("Exhaustion of key " + context.businessKey() + " in group '" + group + "' failed; giving the "
                + "delivery back to the broker to be delivered again", ex);
            return Disposition.giveBack("its exhaustion failed: " + ex);
        }
        (poison ? counters.poison : counters.exhausted).increment();
        events.record(new ListenerEvent(poison ? ListenerEvent.Type.POISON : ListenerEvent.Type.EXHAUSTED, group,
            context.producer(), context.businessKey(), context.attempt(), resender.sender().clock().instant(), null,
            PayloadConversionException.withoutBody(lastError)));
        return Disposition.ACKNOWLEDGE;
    }

    /** Where a stage reports how a message's observation ends. */
    interface ObservedOutcome {

        void outcome(String outcome);

        void error(Throwable error);

    }

}
