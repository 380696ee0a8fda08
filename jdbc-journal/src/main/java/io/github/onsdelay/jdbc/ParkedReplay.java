package io.github.onsdelay.jdbc;

import org.jspecify.annotations.Nullable;

/**
 * A parked outbox row sent again.
 *
 * @param id its outbox row id
 * @param messageId the broker's message id when the broker took it, else null
 * @param error why it was not sent, else null; with neither, another relay pass took the row first and sends it
 */
public record ParkedReplay(long id, @Nullable String messageId, @Nullable String error) {

    /** Whether the broker took it. */
    public boolean isSent() {
        return messageId != null;
    }

}
