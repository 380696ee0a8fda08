package io.github.onsdelay.jdbc.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.github.onsdelay.core.TimedMessage;
import io.github.onsdelay.core.TimedMessageReceipt;
import io.github.onsdelay.core.TimedMessageSender;
import io.github.onsdelay.jdbc.ExhaustedMessage;
import io.github.onsdelay.jdbc.ExhaustedMessages;
import io.github.onsdelay.jdbc.ReplayResult;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.producer.OnsProducerRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * Lists the exhausted messages the journal kept, and replays one: sent again, due now, carrying the chosen
 * attempt, to the consumer group that exhausted it only (other groups on the topic never see it); its row
 * counts the replay. A replay is first sent anew, so a tombstone older than it does not stop it.
 */
public final class JdbcExhaustedMessages implements ExhaustedMessages {

    private static final String COLUMNS = "id, consumer_group, producer, topic, tag, business_key, message_id, "
        + "attempt, reason, last_error, body, exhausted_at, replay_count, replayed_at";

    private static final RowMapper<ExhaustedMessage> ROWS = (rs, i) -> {
        long replayedAt = rs.getLong("replayed_at");
        Instant replayed = rs.wasNull() ? null : Instant.ofEpochMilli(replayedAt);
        return new ExhaustedMessage(rs.getLong("id"), rs.getString("consumer_group"), rs.getString("producer"),
            rs.getString("topic"), rs.getString("tag"), rs.getString("business_key"), rs.getString("message_id"),
            rs.getInt("attempt"), rs.getString("reason"), rs.getString("last_error"), rs.getBytes("body"),
            Instant.ofEpochMilli(rs.getLong("exhausted_at")), rs.getInt("replay_count"), replayed);
    };

    private final JdbcTemplate jdbc;

    private final TimedMessageSender sender;

    private final OnsProducerRegistry producers;

    public JdbcExhaustedMessages(JdbcTemplate jdbc, TimedMessageSender sender, OnsProducerRegistry producers) {
        this.jdbc = jdbc;
        this.sender = sender;
        this.producers = producers;
    }

    @Override
    public List<ExhaustedMessage> list(@Nullable String group, int limit) {
        List<Object> arguments = new ArrayList<>();
        String where = "";
        if (group != null) {
            where = " WHERE consumer_group = ?";
            arguments.add(group);
        }
        return jdbc.query("SELECT " + COLUMNS + " FROM " + JournalSchema.EXHAUSTED + where
            + " ORDER BY exhausted_at DESC, id DESC LIMIT " + Math.max(1, limit), ROWS, arguments.toArray());
    }

    @Override
    public Optional<ExhaustedMessage> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM " + JournalSchema.EXHAUSTED + " WHERE id = ?", ROWS, id)
            .stream().findFirst();
    }

    @Override
    public ReplayResult replay(long id, int attempt) {
        ExhaustedMessage message = find(id).orElseThrow(() -> new IllegalArgumentException("No exhausted message "
            + "with id " + id + " in the journal (pruned after mqs.ons.jdbc.retention, or never kept)"));
        DelayProducer producer = producers.findProducer(message.producer());
        if (producer == null) {
            throw new IllegalArgumentException("Exhausted message " + id + " belongs to producer '" + message.producer()
                + "', which this application does not declare under mqs.ons.producers");
        }
        int attempts = producer.getSchedule().maxRetries() + 1;
        if (attempt < 0 || attempt >= attempts) {
            throw new IllegalArgumentException("Attempt " + attempt + " is outside producer '" + message.producer()
                + "''s schedule: 0 to " + (attempts - 1));
        }
        Instant now = sender.clock().instant();
        TimedMessageReceipt receipt = sender.send(new TimedMessage(message.producer(), message.topic(), message.tag(),
            message.businessKey(), message.body(), attempt, now, now, message.group()), Duration.ZERO,
            producer.getSettings().sendTimeout());
        jdbc.update("UPDATE " + JournalSchema.EXHAUSTED + " SET replay_count = replay_count + 1, replayed_at = ? "
            + "WHERE id = ?", now.toEpochMilli(), id);
        return new ReplayResult(id, receipt.messageId(), attempt, message.replayCount() + 1);
    }

}
