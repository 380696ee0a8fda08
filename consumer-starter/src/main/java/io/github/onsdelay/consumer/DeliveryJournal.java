package io.github.onsdelay.consumer;

import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;

/**
 * A journal of deliveries in the application's database, which listeners consult when one is present
 * ({@code ons-delay-jdbc} provides it): cancelled keys, attempts already handled, exhausted messages kept.
 */
public interface DeliveryJournal {

    /**
     * Whether the producer's messages with this delivery's business key were cancelled after this one was
     * first sent: then it is acknowledged without running its handler.
     */
    boolean isCancelled(DeliveryContext context);

    /**
     * Whether this group has handled this delivery's attempt of its business key (an {@code idempotent}
     * listener's record committed): then it is acknowledged without running its handler. The default knows none.
     */
    default boolean isHandled(DeliveryContext context) {
        return false;
    }

    /**
     * Runs a blocking handler once for this group, business key and attempt: records them in a transaction
     * and runs the handler in it, so the record commits only with the handler's own work.
     *
     * @param handler the handler; true for success, false or an exception for failure (both roll back)
     * @return what the handler returned, or null when this attempt was already handled (the handler did not run)
     * @throws Exception what the handler threw
     */
    @Nullable Boolean handleOnce(DeliveryContext context, Callable<Boolean> handler) throws Exception;

    /** Keeps an exhausted message; a second call for the same delivery keeps it once. */
    void exhausted(Exhaustion exhaustion);

}
