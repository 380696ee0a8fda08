package io.github.onsdelay.jdbc.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.onsdelay.core.OnsSendException;
import io.github.onsdelay.core.TimedMessage;
import io.github.onsdelay.core.TimedMessageReceipt;
import io.github.onsdelay.core.TimedMessageSender;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends what the outbox holds to the broker. For each batch, in a transaction of its own:
 * <ol>
 * <li>pending rows are locked, skipping those another instance (or a committing transaction) is sending;</li>
 * <li>each is sent with the due time it was written with, and marked sent with the broker's message id and
 * recall handle; a row whose send fails stays pending for the next pass.</li>
 * </ol>
 * It runs right after a transaction that wrote rows commits (for those rows), at start-up, and every
 * {@code mqs.ons.jdbc.relay-interval}, which repairs a crash between a commit and its send. A crash after a
 * send and before its row is marked sends that row again: at-least-once, as every send. The same pass
 * prunes rows older than the retention once an hour.
 */
public final class OutboxRelay implements SmartLifecycle {

    private static final Log LOG = LogFactory.getLog(OutboxRelay.class);

    private static final String COLUMNS = "id, producer, topic, tag, business_key, attempt, due_at, first_sent_at, "
        + "delivery_lead_ms, send_timeout_ms, body";

    private final JdbcTemplate jdbc;

    private final TransactionTemplate newTransaction;

    private final TimedMessageSender sender;

    private final JournalSchema schema;

    private final Settings settings;

    private volatile @Nullable ScheduledExecutorService scheduler;

    private volatile long lastPrune;

    /**
     * @param interval how often pending rows are looked for
     * @param batchSize most rows sent per transaction
     * @param retention how long sent rows, tombstones, handled records and exhausted messages are kept
     */
    public record Settings(Duration interval, int batchSize, Duration retention) {
    }

    /**
     * @param newTransaction runs each batch in a new transaction (never the caller's, even after its commit)
     */
    public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate newTransaction, TimedMessageSender sender,
            JournalSchema schema, Settings settings) {
        this.jdbc = jdbc;
        this.newTransaction = newTransaction;
        this.sender = sender;
        this.schema = schema;
        this.settings = settings;
    }

    private record Row(long id, TimedMessage message, Duration lead, Duration timeout) {
    }

    private static final RowMapper<Row> ROWS = (rs, i) -> new Row(rs.getLong("id"),
        new TimedMessage(rs.getString("producer"), rs.getString("topic"), rs.getString("tag"),
            rs.getString("business_key"), rs.getBytes("body"), rs.getInt("attempt"),
            Instant.ofEpochMilli(rs.getLong("due_at")), Instant.ofEpochMilli(rs.getLong("first_sent_at")), null),
        Duration.ofMillis(rs.getLong("delivery_lead_ms")), Duration.ofMillis(rs.getLong("send_timeout_ms")));

    /** Sends these rows if still pending and nobody else is sending them; after their transaction committed. */
    void sendCommitted(List<Long> ids) {
        String placeholders = String.join(", ", Collections.nCopies(ids.size(), "?"));
        newTransaction.executeWithoutResult(status -> send(jdbc.query("SELECT " + COLUMNS + " FROM "
            + JournalSchema.OUTBOX + " WHERE id IN (" + placeholders + ") AND state = 'PENDING'"
            + schema.dialect().lockSkippingLocked(), ROWS, ids.toArray())));
    }

    /**
     * Sends every pending row nobody else is sending, batch by batch.
     *
     * @return how many were sent
     */
    public int relayPending() {
        int total = 0;
        while (true) {
            Integer sent = newTransaction.execute(status -> send(jdbc.query("SELECT " + COLUMNS + " FROM "
                + JournalSchema.OUTBOX + " WHERE state = 'PENDING' ORDER BY id"
                + " LIMIT " + settings.batchSize() + schema.dialect().lockSkippingLocked(),
                ROWS)));
            if (sent == null || sent < 0) {
                return total;
            }
            total += sent;
            if (sent < settings.batchSize()) {
                return total;
            }
        }
    }

    /** Sends the locked rows; the number sent, or -1 when one failed (the rest wait for the next pass). */
    private int send(List<Row> rows) {
        int sent = 0;
        for (Row row : rows) {
            TimedMessageReceipt receipt;
            try {
                receipt = sender.send(row.message(), row.lead(), row.timeout());
            }
            catch (OnsSendException ex) {
                LOG.warn("Outbox row " + row.id() + " (key " + row.message().businessKey() + ") could not be sent; "
                    + "it stays pending for the next relay pass: " + ex.getMessage());
                return -1;
            }
            jdbc.update("UPDATE " + JournalSchema.OUTBOX + " SET state = 'SENT', sent_at = ?, message_id = ?, "
                + "recall_handle = ? WHERE id = ?", sender.clock().millis(), receipt.messageId(),
                receipt.recallHandle(), row.id());
            sent++;
        }
        return sent;
    }

    /** Deletes what is older than the retention: sent or cancelled rows past their due time, and the rest. */
    public void prune() {
        long before = sender.clock().millis() - settings.retention().toMillis();
        jdbc.update("DELETE FROM " + JournalSchema.OUTBOX + " WHERE state <> 'PENDING' AND due_at < ?", before);
        jdbc.update("DELETE FROM " + JournalSchema.CANCELLED + " WHERE cancelled_at < ?", before);
        jdbc.update("DELETE FROM " + JournalSchema.HANDLED + " WHERE handled_at < ?", before);
        jdbc.update("DELETE FROM " + JournalSchema.EXHAUSTED + " WHERE exhausted_at < ?", before);
        lastPrune = sender.clock().millis();
    }

    private void pass() {
        try {
            int sent = relayPending();
            if (sent > 0) {
                LOG.info("Outbox relay sent " + sent + " message(s) left pending");
            }
            if (sender.clock().millis() - lastPrune >= Duration.ofHours(1).toMillis()) {
                prune();
            }
        }
        catch (RuntimeException ex) {
            LOG.warn("Outbox relay pass failed; trying again in " + settings.interval() + ": " + ex);
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ons-delay-outbox-relay");
            thread.setDaemon(true);
            return thread;
        });
        started.scheduleWithFixedDelay(this::pass, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
        scheduler = started;
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = scheduler;
        scheduler = null;
        if (running != null) {
            running.shutdown();
            try {
                running.awaitTermination(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

}
