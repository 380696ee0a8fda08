package io.github.onsdelay.producer.internal;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A message ready to be sent: the body is already converted, the due time already computed.
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
 */
public record OutgoingMessage(String producer, String topic, @Nullable String tag, String businessKey, byte[] body,
        int attempt, Instant dueAt, Instant firstSentAt, @Nullable String targetGroup) {
}
