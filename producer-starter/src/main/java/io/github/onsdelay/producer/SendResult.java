package io.github.onsdelay.producer;

import java.time.Instant;

import io.github.onsdelay.core.TimedMessageReceipt;
import org.jspecify.annotations.Nullable;

/**
 * What a send did. {@link #isSent()} is false only when the attempt was beyond the producer's delays:
 * nothing was sent, and {@link #messageId()} is null.
 *
 * @param sent whether a message was accepted by the broker
 * @param messageId the broker's message id, or null when nothing was sent
 * @param attempt the attempt number the message carries
 * @param dueAt when the handler is due to run, or null when nothing was sent
 * @param deliverAt when the broker releases this message: {@code dueAt} less the producer's delivery lead,
 *     or earlier for a hop of a delay longer than {@code mqs.ons.max-delay}
 * @param businessKey the business key the message carries
 * @param recallHandle handle to recall the message before the broker releases it, or null when the broker
 *     gives none
 * @param hop whether the message travels in hops because its delay is longer than the broker accepts at once
 * @param pending whether it was written to a {@link SendJournal} (the outbox of ons-delay-jdbc, inside a
 *     transaction) to be sent to the broker once the transaction commits: then {@code sent} is true and
 *     {@code messageId}, {@code deliverAt} and {@code recallHandle} are null
 */
public record SendResult(boolean sent, @Nullable String messageId, int attempt, @Nullable Instant dueAt,
        @Nullable Instant deliverAt, @Nullable String businessKey, @Nullable String recallHandle, boolean hop,
        boolean pending) {

    /** Nothing sent: the attempt is beyond the producer's delays. */
    public static SendResult exhausted(int attempt) {
        return new SendResult(false, null, attempt, null, null, null, null, false, false);
    }

    /** Written to a journal, to be sent once the surrounding transaction commits. */
    public static SendResult pending(int attempt, Instant dueAt, String businessKey) {
        return new SendResult(true, null, attempt, dueAt, null, businessKey, null, false, true);
    }

    static SendResult of(int attempt, String businessKey, TimedMessageReceipt receipt) {
        return new SendResult(true, receipt.messageId(), attempt, receipt.dueAt(), receipt.deliverAt(), businessKey,
            receipt.recallHandle(), receipt.hop(), false);
    }

    public boolean isPending() {
        return pending;
    }

    public boolean isSent() {
        return sent;
    }

    public boolean isHop() {
        return hop;
    }

}
