package io.github.onsdelay.jdbc;

/**
 * A replay: the exhausted message sent again, due now, to the group that exhausted it.
 *
 * @param exhaustedId the journal's id of the exhausted message
 * @param messageId the broker's id of the new message
 * @param attempt the attempt it carries
 * @param replayCount how often the message has now been replayed
 */
public record ReplayResult(long exhaustedId, String messageId, int attempt, int replayCount) {
}
