package io.github.onsdelay.consumer.actuate;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the live page may do with the journal: list exhausted messages, replay one, cancel a business key. The JDBC
 * journal provides it; without one, the page shows neither.
 */
public interface OnsDashboardJournal {

    /** The latest exhausted messages, newest first. Bodies are never part of them: the page never shows one. */
    List<Exhausted> exhausted(int limit);

    /**
     * Sends an exhausted message again, due now, to the group that exhausted it.
     *
     * @return the outcome in a sentence
     * @throws IllegalArgumentException for an id the journal does not know
     */
    String replay(long id);

    /**
     * Cancels a business key's pending message of a producer.
     *
     * @return the outcome in a sentence
     * @throws IllegalArgumentException for a producer the application does not have
     */
    String cancel(String producer, String businessKey);

    /** An exhausted message as the page shows it: its key and its last error, not its body. */
    record Exhausted(long id, String group, String producer, String businessKey, int attempt, String reason,
            @Nullable String lastError, Instant exhaustedAt, int replayCount) {
    }

}
