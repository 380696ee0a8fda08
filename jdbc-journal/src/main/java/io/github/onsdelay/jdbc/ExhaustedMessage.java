package io.github.onsdelay.jdbc;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An exhausted message as the journal keeps it.
 *
 * @param id its id in the journal, for {@link ExhaustedMessages#replay}
 * @param group the consumer group whose handler exhausted it
 * @param producer the producer that sent it
 * @param topic its topic
 * @param tag its tag, or null
 * @param businessKey its business key
 * @param messageId the broker's id of the last delivery
 * @param attempt the attempt that was exhausted
 * @param reason {@code RETRIES_EXHAUSTED} or {@code POISON}
 * @param lastError what failed last
 * @param body the body as it arrived
 * @param exhaustedAt when it was exhausted
 * @param replayCount how often it was replayed
 * @param replayedAt when it was last replayed, or null
 */
public record ExhaustedMessage(long id, String group, String producer, String topic, @Nullable String tag,
        String businessKey, String messageId, int attempt, String reason, @Nullable String lastError, byte[] body,
        Instant exhaustedAt, int replayCount, @Nullable Instant replayedAt) {

    /** The body read as UTF-8 text (JSON for the default converter). */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ExhaustedMessage[id=" + id + ", group=" + group + ", producer=" + producer + ", businessKey="
            + businessKey + ", attempt=" + attempt + ", reason=" + reason + ", exhaustedAt=" + exhaustedAt
            + ", replayCount=" + replayCount + "]";
    }

}
