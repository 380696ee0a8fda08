package io.github.onsdelay.jdbc;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The outbox rows the relay parked after the broker refused them {@code mqs.ons.jdbc.relay-max-attempts}
 * times: listed newest first, and replayed, sent again now with the due time they were written with (a due
 * time already past is delivered at once). Parked rows are counted by the meter {@code ons.delay.outbox.parked}
 * and pruned after {@code mqs.ons.jdbc.retention} past their due time.
 */
public interface ParkedSends {

    /**
     * The newest parked rows.
     *
     * @param producer only this producer's, or null for all
     * @param limit at most this many
     */
    List<ParkedSend> list(@Nullable String producer, int limit);

    Optional<ParkedSend> find(long id);

    /**
     * Makes the row pending again, its attempts counted from 0, and sends it now.
     *
     * @return whether the broker took it, else why not (a refusal counts as its first attempt again)
     * @throws IllegalArgumentException when there is no parked row with this id
     */
    ParkedReplay replay(long id);

}
