package io.github.onsdelay.producer;

import java.time.Instant;

import io.github.onsdelay.core.TimedMessage;
import org.jspecify.annotations.Nullable;

/**
 * A journal of sends in the application's database, which producers consult when one is present
 * ({@code ons-delay-jdbc} provides it). It may take a send over (to write it to an outbox inside the caller's
 * transaction), and it is what cancels by business key.
 */
public interface SendJournal {

    /**
     * Takes the send over, or returns null to have it sent to the broker now.
     *
     * @param message the message, its due time already computed
     * @param settings the producer's settings (its delivery lead and send timeout)
     * @return the result the caller sees, or null when the journal does not take this send
     * @throws io.github.onsdelay.core.OnsSendException when the journal cannot record it
     */
    @Nullable SendResult takeOver(TimedMessage message, ProducerSettings settings);

    /**
     * Cancels every message of the producer with this business key: recalls those the broker still holds,
     * withdraws those not yet sent, and records a tombstone so that any other (a hop, a retry) is
     * acknowledged without running its handler. In the caller's transaction when there is one; recalls
     * happen only after the tombstone has committed, since the broker cannot undo them.
     */
    CancelResult cancel(ProducerSettings settings, String businessKey);

    /**
     * Moves the key's pending journaled message to {@code dueAt} (see {@link DelayProducer#reschedule}), in the
     * caller's transaction when there is one.
     */
    RescheduleResult reschedule(ProducerSettings settings, String businessKey, Instant dueAt);

}
