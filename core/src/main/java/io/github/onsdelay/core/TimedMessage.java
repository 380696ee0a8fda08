package io.github.onsdelay.core;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A message ready to be sent for a future time: its body is already converted and its due time already
 * computed. Producers build one per send; the consumer starter builds one per retry, hop and dead-letter
 * forward.
 *
 * @param producer name of the producer it belongs to
 * @param topic topic to send to
 * @param tag tag, or null for none
 * @param businessKey business key (also the message key)
 * @param body message body
 * @param attempt attempt number it carries
 * @param dueAt when the handler is due to run
 * @param firstSentAt when attempt 0 was sent
 * @param targetGroup for a retry, the only consumer group meant to handle it
 * @param headers further message properties to carry, such as a trace context
 */
public record TimedMessage(String producer, String topic, @Nullable String tag, String businessKey, byte[] body,
        int attempt, Instant dueAt, Instant firstSentAt, @Nullable String targetGroup, Map<String, String> headers) {

    public TimedMessage {
        headers = Map.copyOf(headers);
    }

    public TimedMessage(String producer, String topic, @Nullable String tag, String businessKey, byte[] body,
            int attempt, Instant dueAt, Instant firstSentAt, @Nullable String targetGroup) {
        this(producer, topic, tag, businessKey, body, attempt, dueAt, firstSentAt, targetGroup, Map.of());
    }

    @Override
    public String toString() {
        return "TimedMessage[producer=" + producer + ", topic=" + topic + ", tag=" + tag + ", businessKey=" + businessKey
            + ", attempt=" + attempt + ", dueAt=" + dueAt + ", bodyBytes=" + body.length + "]";
    }

}
