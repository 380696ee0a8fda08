package io.github.onsdelay.consumer;

/**
 * The filters the journal of deliveries gives: a key cancelled after the message was first sent, and an
 * attempt an {@code idempotent} listener already handled.
 */
final class JournalFilters {

    private JournalFilters() {
    }

    static OnsDeliveryFilter cancelledKeys(DeliveryJournal journal) {
        return new OnsDeliveryFilter() {

            @Override
            public boolean skip(DeliveryContext delivery) {
                return journal.isCancelled(delivery);
            }

            @Override
            public String name() {
                return CANCELLED;
            }

        };
    }

    static OnsDeliveryFilter handledAttempts(DeliveryJournal journal) {
        return new OnsDeliveryFilter() {

            @Override
            public boolean skip(DeliveryContext delivery) {
                return journal.isHandled(delivery);
            }

            @Override
            public String name() {
                return HANDLED;
            }

        };
    }

    static final String CANCELLED = "cancelled";

    static final String HANDLED = "handled";

}
