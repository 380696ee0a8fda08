package io.github.onsdelay.producer;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What {@link DelayProducer#reschedule(String, Instant)} did for one business key.
 *
 * @param producer the producer's name
 * @param businessKey the key rescheduled
 * @param outcome what happened
 * @param dueAt when the key's message is due now: the new time when moved, the old one when it was already due,
 *     null for an unknown key
 * @param recalled messages the broker took back before this call returned (the old one, when the broker still held
 *     it and the reschedule ran outside a transaction)
 * @param recallsAfterCommit messages recalled right after the caller's transaction commits; 0 outside one
 */
public record RescheduleResult(String producer, String businessKey, Outcome outcome, @Nullable Instant dueAt,
        int recalled, int recallsAfterCommit) {

    /** What a reschedule found. */
    public enum Outcome {

        /** The old message never runs; a new one, the same body, runs once at the new time. */
        MOVED,

        /**
         * The old message's due time had passed: it has run, or is running (a failing one retries on its
         * schedule). Nothing was changed or sent.
         */
        ALREADY_DUE,

        /**
         * The journal knows no pending message of the key: never sent in a transaction (only those are journaled),
         * cancelled, or pruned. Nothing was changed or sent.
         */
        UNKNOWN_KEY

    }

    /** Whether the key's message now runs at the new time. */
    public boolean isMoved() {
        return outcome == Outcome.MOVED;
    }

}
