package io.github.onsdelay.jdbc.internal;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.github.onsdelay.core.OnsSendException;
import io.github.onsdelay.core.TimedMessage;
import io.github.onsdelay.core.TimedMessageSender;
import io.github.onsdelay.producer.CancelResult;
import io.github.onsdelay.producer.ProducerSettings;
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
 * in that transaction and sent by the {@link OutboxRelay} right after it commits; a rollback leaves nothing to
 * send. Any other send goes straight to the broker, as without the journal.</li>
 * <li>A cancel records a tombstone for the key, withdraws its rows not yet sent, and recalls at the broker
 * its sent rows still in its timer (RocketMQ 5.3.2+, {@code recallMessageEnable=true}); a recall the broker
 * refuses, and a message that already hopped, are left to the tombstone.</li>
 * </ul>
 */
public final class JdbcSendJournal implements SendJournal {

    private static final Log LOG = LogFactory.getLog(JdbcSendJournal.class);

    private final DataSource dataSource;

    private final JdbcTemplate jdbc;

    private final TransactionTemplate transaction;

    private final TimedMessageSender sender;

    private final OutboxRelay relay;

    /**
     * @param transaction runs a cancel in the caller's transaction, or a new one
     */
    public JdbcSendJournal(DataSource dataSource, JdbcTemplate jdbc, TransactionTemplate transaction,
            TimedMessageSender sender, OutboxRelay relay) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.sender = sender;
        this.relay = relay;
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

    /** The outbox rows this transaction wrote, sent once it commits. */
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
                try {
                    relay.sendCommitted(created);
                }
                catch (RuntimeException ex) {
                    LOG.warn("Sending " + created.size() + " outbox row(s) after the commit failed; the relay sends "
                        + "them on its next pass: " + ex);
                }
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
        long now = sender.clock().millis();
        CancelResult result = transaction.execute(status -> {
            tombstone(settings.name(), businessKey, now);
            int withdrawn = jdbc.update("UPDATE " + JournalSchema.OUTBOX + " SET state = 'CANCELLED' WHERE producer = ? "
                + "AND business_key = ? AND state = 'PENDING'", settings.name(), businessKey);
            // Only a message still in the broker's timer can be recalled: one released at due minus the lead, or a
            // hop's first leg released at sent plus the server's maximum delay. A later leg has a handle of its own,
            // unknown here; the tombstone stops it.
            long maxDelay = sender.maxDelay().toMillis();
            List<Object[]> recallable = jdbc.query("SELECT id, topic, recall_handle, due_at - delivery_lead_ms, sent_at "
                + "FROM " + JournalSchema.OUTBOX + " WHERE producer = ? AND business_key = ? AND state = 'SENT' "
                + "AND recall_handle IS NOT NULL AND due_at > ?",
                (rs, i) -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3),
                    Math.min(rs.getLong(4), rs.getLong(5) + maxDelay)},
                settings.name(), businessKey, now).stream().filter(row -> (long) row[3] > now).toList();
            int recalled = 0;
            for (Object[] row : recallable) {
                try {
                    sender.recall(settings.name(), (String) row[1], (String) row[2], settings.sendTimeout());
                    jdbc.update("UPDATE " + JournalSchema.OUTBOX + " SET state = 'RECALLED' WHERE id = ?", row[0]);
                    recalled++;
                }
                catch (OnsSendException ex) {
                    LOG.info("Recall of key " + businessKey + " (outbox row " + row[0] + ") refused; its tombstone "
                        + "stops the handler instead: " + ex.getMessage());
                }
            }
            Integer known = jdbc.queryForObject("SELECT COUNT(*) FROM " + JournalSchema.OUTBOX + " WHERE producer = ? "
                + "AND business_key = ?", Integer.class, settings.name(), businessKey);
            return new CancelResult(settings.name(), businessKey, recalled, withdrawn, known != null && known > 0);
        });
        if (result == null) {
            throw new IllegalStateException("cancel of " + businessKey + " returned nothing");
        }
        return result;
    }

    private void tombstone(String producer, String businessKey, long now) {
        int updated = jdbc.update("UPDATE " + JournalSchema.CANCELLED + " SET cancelled_at = ? WHERE producer = ? "
            + "AND business_key = ?", now, producer, businessKey);
        if (updated == 0) {
            try {
                jdbc.update("INSERT INTO " + JournalSchema.CANCELLED + " (producer, business_key, cancelled_at) "
                    + "VALUES (?, ?, ?)", producer, businessKey, now);
            }
            catch (DuplicateKeyException ex) {
                // Cancelled at the same moment by another instance: its tombstone serves.
            }
        }
    }

}
