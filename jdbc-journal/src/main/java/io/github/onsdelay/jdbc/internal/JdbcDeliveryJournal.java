package io.github.onsdelay.jdbc.internal;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

import io.github.onsdelay.consumer.DeliveryContext;
import io.github.onsdelay.consumer.DeliveryJournal;
import io.github.onsdelay.consumer.Exhaustion;
import io.github.onsdelay.core.TimedMessageSender;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The listeners' side of the journal: whether a delivery's key was cancelled after it was sent; each
 * attempt of an idempotent listener recorded in the transaction its handler runs in, so that a second delivery
 * of an attempt whose handler committed finds the record and does not run it; exhausted messages kept, once
 * per delivery.
 */
public final class JdbcDeliveryJournal implements DeliveryJournal {

    private static final int MAX_ERROR = 4000;

    private final JdbcTemplate jdbc;

    private final TransactionTemplate transaction;

    private final TimedMessageSender sender;

    /**
     * @param transaction the application's transaction manager, propagation REQUIRED: a handler's own
     *     {@code @Transactional} work joins it
     */
    public JdbcDeliveryJournal(JdbcTemplate jdbc, TransactionTemplate transaction, TimedMessageSender sender) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.sender = sender;
    }

    /**
     * A message sent through the outbox is cancelled when a cancel saw its row (the row says so; no clock is
     * compared). Any other (sent outside a transaction, or whose row was pruned) is cancelled when it was first
     * sent before the tombstone: the sending host's clock against the database's, so a send within their skew
     * of a cancel may be taken for the other side of it.
     */
    @Override
    public boolean isCancelled(DeliveryContext context) {
        List<Long> cancelledAt = jdbc.queryForList("SELECT cancelled_at FROM " + JournalSchema.CANCELLED
            + " WHERE producer = ? AND business_key = ?", Long.class, context.producer(), context.businessKey());
        if (cancelledAt.isEmpty()) {
            return false;
        }
        // Retries and hops carry the first send's time, so they find the row of the send they come from.
        List<Long> journaled = jdbc.queryForList("SELECT cancelled_at FROM " + JournalSchema.OUTBOX
            + " WHERE producer = ? AND business_key = ? AND first_sent_at = ?", Long.class, context.producer(),
            context.businessKey(), context.firstSentAt().toEpochMilli());
        if (!journaled.isEmpty()) {
            return journaled.stream().anyMatch(Objects::nonNull);
        }
        return cancelledAt.get(0) >= context.firstSentAt().toEpochMilli();
    }

    @Override
    public boolean isHandled(DeliveryContext context) {
        Integer records = jdbc.queryForObject("SELECT COUNT(*) FROM " + JournalSchema.HANDLED + " WHERE consumer_group = ? "
            + "AND business_key = ? AND attempt = ?", Integer.class, context.group(), context.businessKey(),
            context.attempt());
        return records != null && records > 0;
    }

    @Override
    public @Nullable Boolean handleOnce(DeliveryContext context, Callable<Boolean> handler) throws Exception {
        try {
            return transaction.execute(status -> {
                try {
                    jdbc.update("INSERT INTO " + JournalSchema.HANDLED + " (consumer_group, business_key, attempt, "
                        + "handled_at) VALUES (?, ?, ?, ?)", context.group(), context.businessKey(), context.attempt(),
                        sender.clock().millis());
                }
                catch (DuplicateKeyException ex) {
                    // Handled and committed before: a redelivery. (A concurrent one waits on the key until then.)
                    status.setRollbackOnly();
                    return null;
                }
                Boolean succeeded;
                try {
                    succeeded = handler.call();
                }
                catch (RuntimeException | Error ex) {
                    throw ex;
                }
                catch (Exception ex) {
                    throw new HandlerFailure(ex);
                }
                if (!Boolean.TRUE.equals(succeeded)) {
                    status.setRollbackOnly();
                }
                return succeeded;
            });
        }
        catch (HandlerFailure ex) {
            throw (Exception) ex.getCause();
        }
    }

    /** Carries a handler's checked exception through the transaction template, which rolls back on it. */
    private static final class HandlerFailure extends RuntimeException {

        HandlerFailure(Exception cause) {
            super(cause);
        }

    }

    @Override
    public void exhausted(Exhaustion exhaustion) {
        DeliveryContext context = exhaustion.context();
        String error = String.valueOf(exhaustion.lastError());
        try {
            jdbc.update("INSERT INTO " + JournalSchema.EXHAUSTED + " (consumer_group, producer, topic, tag, business_key, "
                + "message_id, attempt, first_sent_at, reason, last_error, body, exhausted_at, replay_count) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)", context.group(), context.producer(), context.topic(),
                context.tag().isEmpty() ? null : context.tag(), context.businessKey(), context.messageId(),
                context.attempt(), context.firstSentAt().toEpochMilli(), exhaustion.reason().name(),
                error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error, exhaustion.body(),
                sender.clock().millis());
        }
        catch (DuplicateKeyException ex) {
            // The same delivery again (its exhaustion handler failed the first time): kept once.
        }
    }

}
