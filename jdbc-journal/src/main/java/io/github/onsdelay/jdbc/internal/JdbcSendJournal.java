package io.github.onsdelay.jdbc.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import javax.sql.DataSource;

import io.github.onsdelay.core.OnsSendException;
import io.github.onsdelay.core.TimedMessage;
import io.github.onsdelay.core.TimedMessageSender;
import io.github.onsdelay.producer.CancelResult;
import io.github.onsdelay.producer.ProducerSettings;
import io.github.onsdelay.producer.RescheduleResult;
import io.github.onsdelay.producer.SendJournal;
import io.github.onsdelay.producer.SendResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The producers' side of the journal.
 * <ul>
 * <li>A send made while a transaction holds a connection of the journal's DataSource is written to the outbox
 * in that transaction; at the commit its row is handed to the {@link OutboxRelay}'s sending thread, which sends
 * it at once. A rollback leaves nothing to send. Any other send goes straight to the broker, as without the
 * journal.</li>
 * <li>A cancel, in the caller's transaction or its own: a tombstone for the key at the database's time, every
 * outbox row of the key marked as seen by it, rows not sent yet withdrawn; then, only once that has committed,
 * its sent rows still in the broker's timer are recalled (RocketMQ 5.3.2+, {@code recallMessageEnable=true}):
 * on the caller's thread after its own transaction, on the relay's thread after the caller's. A rollback
 * recalls nothing. A recall the broker refuses, and a message that already hopped, are left to the
 * tombstone.</li>
 * </ul>
 */
public final class JdbcSendJournal implements SendJournal {

    private static final Log LOG = LogFactory.getLog(JdbcSendJournal.class);

    private final DataSource dataSource;

    private final JdbcTemplate jdbc;

    private final TransactionTemplate transaction;

    private final TimedMessageSender sender;

    private final OutboxRelay relay;

    private final JournalSchema schema;

    /**
     * @param transaction runs a cancel in the caller's transaction, or a new one
     */
    public JdbcSendJournal(DataSource dataSource, JdbcTemplate jdbc, TransactionTemplate transaction,
            TimedMessageSender sender, OutboxRelay relay, JournalSchema schema) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.sender = sender;
        this.relay = relay;
        this.schema = schema;
    }

    @Override
    public @Nullable SendResult takeOver(TimedMessage message, ProducerSettings settings) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()
                || !TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.hasResource(dataSource)) {
            return null;
        }
        long id;
        try {
            id = insert(message, settings);
        }
        catch (DataAccessException ex) {
            throw new OnsSendException(message.producer(), message.topic(), "could not write to the outbox: "
                + ex.getMostSpecificCause().getMessage(), ex);
        }
        committedSends().add(id);
        return SendResult.pending(message.attempt(), message.dueAt(), message.businessKey());
    }

    private long insert(TimedMessage message, ProducerSettings settings) {
        org.springframework.jdbc.support.GeneratedKeyHolder keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.update(connection -> {
            var statement = connection.prepareStatement("INSERT INTO " + JournalSchema.OUTBOX + " (producer, topic, tag, "
                + "business_key, attempt, due_at, first_sent_at, delivery_lead_ms, send_timeout_ms, body, state, "
                + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?)", new String[] {"id"});
            statement.setString(1, message.producer());
            statement.setString(2, message.topic());
            statement.setString(3, message.tag());
            statement.setString(4, message.businessKey());
            statement.setInt(5, message.attempt());
            statement.setLong(6, message.dueAt().toEpochMilli());
            statement.setLong(7, message.firstSentAt().toEpochMilli());
            statement.setLong(8, settings.deliveryLead().toMillis());
            statement.setLong(9, settings.sendTimeout().toMillis());
            statement.setBytes(10, message.body());
            statement.setLong(11, sender.clock().millis());
            return statement;
        }, keys);
        Number key = keys.getKey();
        if (key == null) {
            throw new IllegalStateException("The database returned no id for the outbox row");
        }
        return key.longValue();
    }

    /** The outbox rows this transaction wrote, handed to the relay once it commits. */
    private List<Long> committedSends() {
        @SuppressWarnings("unchecked")
        List<Long> ids = (List<Long>) TransactionSynchronizationManager.getResource(this);
        if (ids != null) {
            return ids;
        }
        List<Long> created = new ArrayList<>();
        TransactionSynchronizationManager.bindResource(this, created);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

            @Override
            public void afterCommit() {
                // Handed over, not sent here: this thread still holds the committed transaction's connection.
                relay.submit(created);
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(JdbcSendJournal.this);
            }

        });
        return created;
    }

    @Override
    public CancelResult cancel(ProducerSettings settings, String businessKey) {
        Cancellation cancellation = transaction.execute(status -> {
            Cancellation marked = mark(settings, businessKey);
            if (!status.isNewTransaction()) {
                recallAfterCommit(settings, businessKey, marked.recallable());
            }
            return marked.joined(!status.isNewTransaction());
        });
        if (cancellation == null) {
            throw new IllegalStateException("cancel of " + businessKey + " returned nothing");
        }
        if (cancellation.joined()) {
            return new CancelResult(settings.name(), businessKey, 0, cancellation.withdrawn(), cancellation.known(),
                cancellation.recallable().size());
        }
        // Its own transaction has committed: recall now, on the caller's thread, which holds no connection.
        int recalled = recall(settings, businessKey, cancellation.recallable());
        return new CancelResult(settings.name(), businessKey, recalled, cancellation.withdrawn(), cancellation.known(),
            0);
    }

    /**
     * The key's rows are locked first, so that two reschedules of one key (or a reschedule and a cancel's rows) take
     * turns; what the later one then reads, by a new statement, is what the earlier one committed. The live row is
     * the latest not cancelled; due already (by this clock, the one its due time was written with), nothing
     * changes. Otherwise the old messages are cancelled as {@link #cancel} does (tombstone, rows marked, recalls
     * after the commit) and a new row, the same body, attempt 0, due at the new time, goes to the outbox in the same
     * transaction: its row is not cancelled, so its message runs.
     */
    @Override
    public RescheduleResult reschedule(ProducerSettings settings, String businessKey, Instant dueAt) {
        Rescheduling rescheduling = transaction.execute(status -> {
            List<Long> locked = jdbc.queryForList("SELECT id FROM " + JournalSchema.OUTBOX + " WHERE producer = ? "
                + "AND business_key = ? FOR UPDATE", Long.class, settings.name(), businessKey);
            if (locked.isEmpty()) {
                return new Rescheduling(RescheduleResult.Outcome.UNKNOWN_KEY, null, List.of(), false);
            }
            List<LiveRow> live = jdbc.query("SELECT id, topic, tag, due_at, body FROM " + JournalSchema.OUTBOX
                + " WHERE producer = ? AND business_key = ? AND cancelled_at IS NULL AND state IN ('PENDING', 'SENT', "
                + "'PARKED') ORDER BY id DESC FOR UPDATE", (rs, i) -> new LiveRow(rs.getLong(1), rs.getString(2),
                    rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)), rs.getBytes(5)), settings.name(), businessKey);
            if (live.isEmpty()) {
                return new Rescheduling(RescheduleResult.Outcome.UNKNOWN_KEY, null, List.of(), false);
            }
            LiveRow current = live.get(0);
            Instant now = sender.clock().instant().truncatedTo(ChronoUnit.MILLIS);
            if (!current.dueAt().isAfter(now)) {
                return new Rescheduling(RescheduleResult.Outcome.ALREADY_DUE, current.dueAt(), List.of(), false);
            }
            Cancellation marked = mark(settings, businessKey);
            Instant newDueAt = sender.timeScale().scale(dueAt, now);
            long id = insert(new TimedMessage(settings.name(), current.topic(), current.tag(), businessKey,
                current.body(), 0, newDueAt, now, null), settings);
            committedSends().add(id);
            if (!status.isNewTransaction()) {
                recallAfterCommit(settings, businessKey, marked.recallable());
            }
            return new Rescheduling(RescheduleResult.Outcome.MOVED, newDueAt, marked.recallable(),
                !status.isNewTransaction());
        });
        if (rescheduling == null) {
            throw new IllegalStateException("reschedule of " + businessKey + " returned nothing");
        }
        if (rescheduling.joined()) {
            return new RescheduleResult(settings.name(), businessKey, rescheduling.outcome(), rescheduling.dueAt(), 0,
                rescheduling.recallable().size());
        }
        int recalled = recall(settings, businessKey, rescheduling.recallable());
        return new RescheduleResult(settings.name(), businessKey, rescheduling.outcome(), rescheduling.dueAt(),
            recalled, 0);
    }

    private record LiveRow(long id, String topic, @Nullable String tag, Instant dueAt, byte[] body) {
    }

    private record Rescheduling(RescheduleResult.Outcome outcome, @Nullable Instant dueAt, List<Recallable> recallable,
            boolean joined) {
    }

    /**
     * In the caller's transaction: a recall cannot be undone, so it waits for the commit, which it must not hold up
     * (the connection is still bound then): the relay's thread recalls.
     */
    private void recallAfterCommit(ProducerSettings settings, String businessKey, List<Recallable> recallable) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

            @Override
            public void afterCommit() {
                if (!recallable.isEmpty() && !relay.execute(() -> recall(settings, businessKey, recallable))) {
                    LOG.warn("Cancel or reschedule of key " + businessKey + " committed while the outbox relay is "
                        + "stopped; "
                        + recallable.size() + " message(s) not recalled, its tombstone stops them");
                }
            }

        });
    }

    /**
     * What a cancel wrote and found in its transaction.
     *
     * @param withdrawn rows not sent yet, now never sent
     * @param recallable sent rows whose message may still be in the broker's timer: id, topic, recall handle
     * @param known whether the outbox has any row of the key
     * @param joined whether it ran in the caller's transaction
     */
    private record Cancellation(int withdrawn, List<Recallable> recallable, boolean known, boolean joined) {

        Cancellation joined(boolean joined) {
            return new Cancellation(withdrawn, recallable, known, joined);
        }

    }

    private record Recallable(long id, String topic, String handle) {
    }

    /**
     * The tombstone, at the database's time, and every outbox row of the key marked as seen by this cancel: the
     * listeners' side then knows a journaled message was sent before the cancel without comparing two hosts'
     * clocks. Rows not sent yet (or parked) are withdrawn.
     */
    private Cancellation mark(ProducerSettings settings, String businessKey) {
        try {
            jdbc.update(schema.dialect().upsertTombstone(), settings.name(), businessKey);
        }
        catch (DuplicateKeyException ex) {
            // H2's MERGE lost a race with another cancel's insert of the key (H2 keeps the transaction usable
            // after a failed statement): the row exists now, and the same statement moves it forward.
            jdbc.update(schema.dialect().upsertTombstone(), settings.name(), businessKey);
        }
        jdbc.update("UPDATE " + JournalSchema.OUTBOX + " SET cancelled_at = " + schema.dialect().nowMillis()
            + " WHERE producer = ? AND business_key = ? AND cancelled_at IS NULL", settings.name(), businessKey);
        int withdrawn = jdbc.update("UPDATE " + JournalSchema.OUTBOX + " SET state = 'CANCELLED' WHERE producer = ? "
            + "AND business_key = ? AND state IN ('PENDING', 'PARKED')", settings.name(), businessKey);
        // Only a message still in the broker's timer can be recalled: one released at due minus the lead, or a
        // hop's first leg released at sent plus the server's maximum delay. A later leg has a handle of its own,
        // unknown here; the tombstone stops it. The times are the sending host's and this host's clocks: a wrong
        // guess only costs a recall the broker ignores, or leaves the message to the tombstone.
        long now = sender.clock().millis();
        long maxDelay = sender.hopHorizon().toMillis();
        List<Recallable> recallable = jdbc.query("SELECT id, topic, recall_handle, due_at - delivery_lead_ms, sent_at "
            + "FROM " + JournalSchema.OUTBOX + " WHERE producer = ? AND business_key = ? AND state = 'SENT' "
            + "AND recall_handle IS NOT NULL AND due_at > ?",
            (rs, i) -> Math.min(rs.getLong(4), rs.getLong(5) + maxDelay) > now
                ? new Recallable(rs.getLong(1), rs.getString(2), rs.getString(3)) : null,
            settings.name(), businessKey, now).stream().filter(Objects::nonNull).toList();
        Integer known = jdbc.queryForObject("SELECT COUNT(*) FROM " + JournalSchema.OUTBOX + " WHERE producer = ? "
            + "AND business_key = ?", Integer.class, settings.name(), businessKey);
        return new Cancellation(withdrawn, recallable, known != null && known > 0, false);
    }

    /** Recalls each message at the broker, after the cancel committed; the number the broker took back. */
    private int recall(ProducerSettings settings, String businessKey, List<Recallable> rows) {
        int recalled = 0;
        for (Recallable row : rows) {
            try {
                sender.recall(settings.name(), row.topic(), row.handle(), settings.sendTimeout());
            }
            catch (OnsSendException ex) {
                LOG.info("Recall of key " + businessKey + " (outbox row " + row.id() + ") refused; its tombstone "
                    + "stops the handler instead: " + ex.getMessage());
                continue;
            }
            jdbc.update("UPDATE " + JournalSchema.OUTBOX + " SET state = 'RECALLED' WHERE id = ? AND state = 'SENT'",
                row.id());
            recalled++;
        }
        return recalled;
    }

}
