package io.github.onsdelay.producer;

/**
 * What {@link DelayProducer#cancel(String)} did for one business key. A recall cannot be undone, so it waits
 * for the cancel's commit: a cancel outside a transaction commits its own and recalls before it returns
 * ({@code recalled}); a cancel inside the caller's transaction returns before that commits, and its recalls
 * follow the commit ({@code recallsAfterCommit}), or never happen when the transaction rolls back.
 *
 * @param producer the producer's name
 * @param businessKey the key cancelled
 * @param recalled messages the broker took back before this call returned
 * @param withdrawn sends still waiting in the journal's outbox, now never sent (once the cancel commits)
 * @param journaled whether the journal knew any send of this key (only sends made inside a transaction are
 *     journaled); when false, nothing could be recalled, and the tombstone alone stops the handler
 * @param recallsAfterCommit messages still in the broker's timer that are recalled right after the caller's
 *     transaction commits, on the journal's own thread (their outbox rows then read {@code RECALLED}; a recall
 *     the broker refuses is logged and left to the tombstone); always 0 for a cancel outside a transaction
 */
public record CancelResult(String producer, String businessKey, int recalled, int withdrawn, boolean journaled,
        int recallsAfterCommit) {

    /** A cancel with nothing left to recall after a commit. */
    public CancelResult(String producer, String businessKey, int recalled, int withdrawn, boolean journaled) {
        this(producer, businessKey, recalled, withdrawn, journaled, 0);
    }

    @Override
    public String toString() {
        return "CancelResult[producer=" + producer + ", businessKey=" + businessKey + ", recalled=" + recalled
            + ", withdrawn=" + withdrawn + ", journaled=" + journaled + ", recallsAfterCommit=" + recallsAfterCommit
            + "]: " + (journaled ? "cancelled" : "no journaled send of this key; a tombstone stops its handler if one comes");
    }

}
