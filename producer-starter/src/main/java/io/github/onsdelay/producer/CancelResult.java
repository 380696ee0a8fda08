package io.github.onsdelay.producer;

/**
 * What {@link DelayProducer#cancel(String)} did for one business key.
 *
 * @param producer the producer's name
 * @param businessKey the key cancelled
 * @param recalled messages taken back from the broker before it released them
 * @param withdrawn sends still waiting in the journal's outbox, now never sent
 * @param journaled whether the journal knew any send of this key (only sends made inside a transaction are
 *     journaled); when false, nothing could be recalled, and the tombstone alone stops the handler
 */
public record CancelResult(String producer, String businessKey, int recalled, int withdrawn, boolean journaled) {

    @Override
    public String toString() {
        return "CancelResult[producer=" + producer + ", businessKey=" + businessKey + ", recalled=" + recalled
            + ", withdrawn=" + withdrawn + ", journaled=" + journaled + "]: "
            + (journaled ? "cancelled" : "no journaled send of this key; a tombstone stops its handler if one comes");
    }

}
