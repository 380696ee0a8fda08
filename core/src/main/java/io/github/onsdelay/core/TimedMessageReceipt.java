package io.github.onsdelay.core;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What the broker accepted for one {@link TimedMessage}.
 *
 * @param messageId the broker's message id
 * @param dueAt when the handler is due to run
 * @param deliverAt when the broker releases this message: the due time less the delivery lead, now for a
 *     message already that close, or {@code now + max-delay} for a hop
 * @param hop whether the message is a hop of a delay longer than the broker accepts, to be sent on
 * @param recallHandle handle to recall the message before the broker releases it, or null when the broker
 *     gives none
 */
public record TimedMessageReceipt(String messageId, Instant dueAt, Instant deliverAt, boolean hop,
        @Nullable String recallHandle) {
}
