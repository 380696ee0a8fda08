package io.github.onsdelay.jdbc;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An outbox row the relay parked: the broker refused it {@code mqs.ons.jdbc.relay-max-attempts} times, so it
 * is kept, never sent again on its own, and waits for {@link ParkedSends#replay}.
 *
 * @param id its outbox row id
 * @param producer the producer that sent it
 * @param topic its topic
 * @param tag its tag, or null
 * @param businessKey its business key
 * @param attempt the attempt it carries
 * @param dueAt when its handler is due
 * @param attempts how often the broker refused it
 * @param lastError the broker's last reason
 * @param body the body as the producer wrote it
 * @param createdAt when it was written to the outbox
 * @param parkedAt when it was parked
 */
public record ParkedSend(long id, String producer, String topic, @Nullable String tag, String businessKey, int attempt,
        Instant dueAt, int attempts, @Nullable String lastError, byte[] body, Instant createdAt, Instant parkedAt) {

    /** The body read as UTF-8 text (JSON for the default converter). */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ParkedSend[id=" + id + ", producer=" + producer + ", topic=" + topic + ", businessKey=" + businessKey
            + ", attempt=" + attempt + ", attempts=" + attempts + ", lastError=" + lastError + ", parkedAt=" + parkedAt
            + "]";
    }

}
