package io.github.onsdelay.jdbc;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The exhausted messages the journal kept: listed newest first, and replayed, sent again due now to the one
 * consumer group whose handler exhausted them (as attempt 0, or an attempt of your choosing). Rows older than
 * {@code mqs.ons.jdbc.retention} are pruned.
 */
public interface ExhaustedMessages {

    /**
     * The newest exhausted messages.
     *
     * @param group only this consumer group's, or null for all
     * @param limit at most this many
     */
    List<ExhaustedMessage> list(@Nullable String group, int limit);

    Optional<ExhaustedMessage> find(long id);

    /** Sends it again as attempt 0, due now, to the group that exhausted it. */
    default ReplayResult replay(long id) {
        return replay(id, 0);
    }

    /**
     * Sends it again as {@code attempt}, due now, to the group that exhausted it; the row records the replay.
     *
     * @throws IllegalArgumentException when there is no such row, or the attempt is outside the producer's schedule
     * @throws io.github.onsdelay.core.OnsSendException when the broker does not accept it
     */
    ReplayResult replay(long id, int attempt);

}
