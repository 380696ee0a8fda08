package io.github.onsdelay.consumer.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.github.onsdelay.core.OnsSendException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The last stage of every message a container has: it ends the message's hold at the broker once, then frees
 * its room. In order of preference:
 * <ol>
 * <li><b>acknowledge</b> every copy (handled, retried, exhausted, skipped, sent on);</li>
 * <li><b>give back</b> (a send, a filter or a recoverer failed; an {@code Error}), to be delivered again after
 * a backoff that grows with the broker's delivery count. The broker delivers a message at most
 * {@code max-deliveries} times before it moves it to the group's dead-letter queue, which nothing reads: from
 * the last deliveries of that budget on, the message is instead <b>sent again as a new message</b> (same
 * attempt, key and first-send time, due after the backoff) and acknowledged once the broker took it; should that
 * send fail, the message stays here, renewed, and the send is tried again after the backoff. It is never left to
 * the dead-letter queue by a give-back;</li>
 * <li><b>hand over</b> at a stop: a held message is sent again as a new message due at its own time, so that
 * the group's other instances have it at once instead of after the broker's revive delay; given back if that
 * send fails;</li>
 * <li><b>forget</b> a message whose every lease was lost: the broker delivers it again, so nothing is done
 * here.</li>
 * </ol>
 */
final class Settlement {

    private static final Log LOG = LogFactory.getLog(Settlement.class);

    /** Deliveries before the end of the broker's budget from which a give-back is warned of. */
    private static final int WARN_AHEAD = 3;

    private final String group;

    private final int maxDeliveries;

    private final MessageResender resender;

    private final ContainerCounters counters;

    private final ScheduledExecutorService housekeeping;

    private final Executor workers;

    private final BiConsumer<HeldMessage, Boolean> released;

    /** A burst's failed acknowledgements would otherwise log one line each (tens of thousands at once). */
    private final ThrottledWarning settlementWarnings = new ThrottledWarning(LOG, Duration.ofSeconds(10));

    /**
     * @param housekeeping times a send tried again
     * @param workers where a send tried again runs (it blocks; the housekeeping thread renews leases)
     * @param released told of each message once its hold has ended at the broker, to free its room, and
     *     whether it was acknowledged
     */
    Settlement(String group, int maxDeliveries, MessageResender resender, ContainerCounters counters,
            ScheduledExecutorService housekeeping, Executor workers, BiConsumer<HeldMessage, Boolean> released) {
        this.group = group;
        this.maxDeliveries = maxDeliveries;
        this.resender = resender;
        this.counters = counters;
        this.housekeeping = housekeeping;
        this.workers = workers;
        this.released = released;
    }

    /** Acknowledges every copy of the message. */
    CompletableFuture<Void> acknowledge(HeldMessage message) {
        message.acknowledged();
        if (!message.finish()) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (Lease lease : message.leases()) {
            acks.add(lease.acknowledge().whenComplete((ignored, ex) -> {
                if (ex != null) {
                    settlementFailed("Acknowledging", message, ex);
                }
            }));
        }
        return freeWhenDone(message, acks, true);
    }

    /**
     * Gives the message back to be delivered again after a backoff, or, near the end of the broker's delivery
     * budget, sends it again as a new message.
     */
    void giveBack(HeldMessage message, String why) {
        Duration delay = Disposition.backoff(message.deliveryAttempt());
        int delivery = message.deliveryAttempt();
        Delivery read = message.delivery;
        if (read != null && delivery >= maxDeliveries - 1) {
            resend(message, read, delay, why);
            return;
        }
        if (delivery >= maxDeliveries - WARN_AHEAD) {
            LOG.warn("Message " + message.messageId() + " of group '" + group + "' is given back on its delivery "
                + delivery + " of the broker's " + maxDeliveries + " (" + why + "); from delivery " + (maxDeliveries - 1)
                + " on it is sent again as a new message instead, so that it never lands in %DLQ%" + group);
        }
        if (!message.finish()) {
            return;
        }
        counters.givenBack.increment();
        List<CompletableFuture<Void>> operations = new ArrayList<>();
        for (Lease lease : message.leases()) {
            operations.add(lease.giveBack(delay).whenComplete((ignored, ex) -> {
                if (ex != null) {
                    settlementFailed("Giving back", message, ex);
                }
            }));
        }
        freeWhenDone(message, operations, false);
    }

    private void resend(HeldMessage message, Delivery delivery, Duration delay, String why) {
        if (message.stage() == HeldMessage.Stage.DONE) {
            return;
        }
        if (!message.isLeased()) {
            forget(message);
            return;
        }
        Instant now = resender.sender().clock().instant();
        Instant dueAt = delivery.dueAt().isAfter(now.plus(delay)) ? delivery.dueAt() : now.plus(delay);
        try {
            resender.send(message, delivery, delivery.attempt(), dueAt, Map.of());
        }
        catch (OnsSendException ex) {
            LOG.warn("Message " + message.messageId() + " of group '" + group + "' is at delivery "
                + message.deliveryAttempt() + " of the broker's " + maxDeliveries + " (" + why + ") and could not be "
                + "sent again as a new message (" + ex.getMessage() + "); keeping it and trying again in "
                + delay.toMillis() + " ms");
            housekeeping.schedule(() -> workers.execute(() -> resend(message, delivery, delay, why)), delay.toMillis(),
                TimeUnit.MILLISECONDS);
            return;
        }
        counters.resent.increment();
        LOG.warn("Message " + message.messageId() + " of group '" + group + "' reached delivery "
            + message.deliveryAttempt() + " of the broker's " + maxDeliveries + " (" + why + "); sent again as a new "
            + "message due at " + dueAt + " instead of given back, so that it does not land in %DLQ%" + group);
        acknowledge(message);
    }

    /**
     * Sends a held message on as a new message due at its own time, then acknowledges it; gives it back when that
     * fails or it cannot be read.
     */
    CompletableFuture<Void> handOver(HeldMessage message) {
        Delivery delivery = message.delivery;
        if (delivery == null || !message.isLeased()) {
            giveBackNow(message);
            return CompletableFuture.completedFuture(null);
        }
        return resender.sendAsync(message, delivery, delivery.attempt(), delivery.dueAt(), Map.of()).handle((receipt, ex) -> {
            if (ex != null) {
                LOG.warn("Handing over message " + message.messageId() + " of group '" + group + "' failed (" + ex
                    + "); giving it back instead");
                giveBackNow(message);
            }
            else {
                counters.handedOver.increment();
                acknowledge(message);
            }
            return null;
        });
    }

    /** Gives it back to be delivered again at once (a stop, a message that arrived while closing). */
    void giveBackNow(HeldMessage message) {
        if (!message.finish()) {
            return;
        }
        counters.givenBack.increment();
        List<CompletableFuture<Void>> operations = new ArrayList<>();
        for (Lease lease : message.leases()) {
            operations.add(lease.giveBack(Duration.ZERO).whenComplete((ignored, ex) -> {
                if (ex != null) {
                    settlementFailed("Giving back", message, ex);
                }
            }));
        }
        freeWhenDone(message, operations, false);
    }

    /** Frees its room without a broker operation: every lease was lost, the broker delivers it again. */
    void forget(HeldMessage message) {
        if (!message.finish()) {
            return;
        }
        message.leases().forEach(Lease::abandon);
        freeWhenDone(message, List.of(), false);
    }

    private void settlementFailed(String what, HeldMessage message, Throwable failure) {
        counters.settlementFailures.increment();
        settlementWarnings.log(what + " message " + message.messageId() + " of group '" + group + "' failed (" + failure
            + "); the broker delivers it again once its invisibility ends",
            "acknowledgements and give-backs failed in this group so far: " + counters.settlementFailures.sum());
    }

    private CompletableFuture<Void> freeWhenDone(HeldMessage message, List<CompletableFuture<Void>> operations,
            boolean acknowledged) {
        return CompletableFuture.allOf(operations.stream().map(operation -> operation.exceptionally(ex -> null))
            .toArray(CompletableFuture[]::new)).whenComplete((ignored, ex) -> released.accept(message, acknowledged));
    }

}
