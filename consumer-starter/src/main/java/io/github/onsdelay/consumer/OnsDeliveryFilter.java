package io.github.onsdelay.consumer;

/**
 * Decides, just before a handler would run (and before a message due too far ahead is sent on as a hop),
 * whether a delivery is skipped: acknowledged without running the handler, counted under the filter's
 * {@link #name()}. The container factory runs its filters in order and stops at the first that skips.
 * Built in, when {@code ons-delay-jdbc} is present: a key cancelled after the message was first sent, and, for
 * {@code idempotent} listeners, an attempt already handled. A retry addressed to another group is recognised on
 * arrival, before any filter, and never held.
 *
 * <p>A filter that throws does not skip: the delivery is given back to the broker and comes again.
 */
@FunctionalInterface
public interface OnsDeliveryFilter {

    /** Whether to acknowledge this delivery without running the handler. */
    boolean skip(DeliveryContext delivery);

    /** The name the skipped deliveries are counted and logged under ({@code ons.delay.filtered}). */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * Skips a delivery whose business key the journal has cancelled since the message was first sent (named
     * {@code cancelled}); Spring Boot adds it when the application has a {@link DeliveryJournal}.
     */
    static OnsDeliveryFilter cancelledKeys(DeliveryJournal journal) {
        return JournalFilters.cancelledKeys(journal);
    }

    /**
     * Skips an attempt the journal records as handled by this group (named {@code handled}); the container of
     * an {@code idempotent} listener adds it.
     */
    static OnsDeliveryFilter handledAttempts(DeliveryJournal journal) {
        return JournalFilters.handledAttempts(journal);
    }

}
