package io.github.onsdelay.jdbc.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.github.onsdelay.jdbc.ParkedReplay;
import io.github.onsdelay.jdbc.ParkedSend;
import io.github.onsdelay.jdbc.ParkedSends;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * Reads the outbox rows in state {@code PARKED}, and replays one through the {@link OutboxRelay}: made pending
 * again with its attempts reset, then sent on the calling thread.
 */
public final class JdbcParkedSends implements ParkedSends {

    private static final String COLUMNS = "id, producer, topic, tag, business_key, attempt, due_at, attempts, "
        + "last_error, body, created_at, parked_at";

    private static final RowMapper<ParkedSend> ROWS = (rs, i) -> new ParkedSend(rs.getLong("id"),
        rs.getString("producer"), rs.getString("topic"), rs.getString("tag"), rs.getString("business_key"),
        rs.getInt("attempt"), Instant.ofEpochMilli(rs.getLong("due_at")), rs.getInt("attempts"),
        rs.getString("last_error"), rs.getBytes("body"), Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(rs.getLong("parked_at")));

    private final JdbcTemplate jdbc;

    private final OutboxRelay relay;

    public JdbcParkedSends(JdbcTemplate jdbc, OutboxRelay relay) {
        this.jdbc = jdbc;
        this.relay = relay;
    }

    @Override
    public List<ParkedSend> list(@Nullable String producer, int limit) {
        List<Object> arguments = new ArrayList<>();
        String where = " WHERE state = 'PARKED'";
        if (producer != null) {
            where += " AND producer = ?";
            arguments.add(producer);
        }
        return jdbc.query("SELECT " + COLUMNS + " FROM " + JournalSchema.OUTBOX + where
            + " ORDER BY parked_at DESC, id DESC LIMIT " + Math.max(1, limit), ROWS, arguments.toArray());
    }

    @Override
    public Optional<ParkedSend> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM " + JournalSchema.OUTBOX + " WHERE id = ? AND state = 'PARKED'",
            ROWS, id).stream().findFirst();
    }

    @Override
    public ParkedReplay replay(long id) {
        ParkedSend parked = find(id).orElseThrow(() -> new IllegalArgumentException("No parked outbox row with id "
            + id + " (sent, withdrawn by a cancel, pruned after mqs.ons.jdbc.retention, or never parked)"));
        OutboxRelay.Outcome outcome = relay.replayParked(id, parked.producer()).orElseThrow(() ->
            new IllegalArgumentException("Outbox row " + id + " is no longer parked (replayed or cancelled meanwhile)"));
        return new ParkedReplay(id, outcome.messageId(), outcome.error());
    }

}
