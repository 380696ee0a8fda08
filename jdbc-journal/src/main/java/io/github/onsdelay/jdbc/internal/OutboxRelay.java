package io.github.onsdelay.jdbc.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import io.github.onsdelay.core.OnsSendException;
import io.github.onsdelay.core.TimedMessage;
import io.github.onsdelay.core.TimedMessageReceipt;
import io.github.onsdelay.core.TimedMessageSender;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.rocketmq.client.java.exception.BadRequestException;
import org.apache.rocketmq.client.java.exception.ForbiddenException;
import org.apache.rocketmq.client.java.exception.InternalErrorException;
import org.apache.rocketmq.client.java.exception.NotFoundException;
import org.apache.rocketmq.client.java.exception.PayloadEmptyException;
import org.apache.rocketmq.client.java.exception.PayloadTooLargeException;
import org.apache.rocketmq.client.java.exception.PaymentRequiredException;
import org.apache.rocketmq.client.java.exception.ProxyTimeoutException;
import org.apache.rocketmq.client.java.exception.RequestHeaderFieldsTooLargeException;
import org.apache.rocketmq.client.java.exception.TooManyRequestsException;
import org.apache.rocketmq.client.java.exception.UnauthorizedException;
import org.apache.rocketmq.client.java.exception.UnsupportedException;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends what the outbox holds to the broker, on threads of its own: never on a thread that just committed, which
 * holds its connection until its transaction is cleaned up. For each batch, in a transaction of its own:
 * <ol>
 * <li>pending rows are locked, skipping those another instance (or another pass) is sending;</li>
 * <li>they are all sent at once, asynchronously, each with the due time it was written with, so a batch takes
 * at most one send timeout even when the broker does not answer;</li>
 * <li>a row the broker accepted is marked sent with its message id and recall handle; a row the broker refused
 * counts a failed attempt with its reason and goes on being retried, until its
 * {@code mqs.ons.jdbc.relay-max-attempts}-th refusal parks it (kept, counted, replayable, never sent again on
 * its own); a failure that says nothing about the row (no answer, the server unreachable or busy, its internal
 * error) leaves it pending uncounted, so that an outage never parks the outbox.</li>
 * </ol>
 * Rows whose transaction committed are handed over at the commit and sent by the sending thread at once,
 * batched with other commits. Every {@code mqs.ons.jdbc.relay-interval}, and at start-up, a pass goes through
 * every pending row in id order, past those that fail: it repairs a crash between a commit and its send, and
 * retries refused rows. A crash after a send and before its row is marked sends that row again: at-least-once,
 * as every send. The same pass prunes rows older than the retention once an hour.
 */
public final class OutboxRelay implements SmartLifecycle {

    private static final Log LOG = LogFactory.getLog(OutboxRelay.class);

    private static final int MAX_ERROR = 4000;

    private static final String COLUMNS = "id, producer, topic, tag, business_key, attempt, due_at, first_sent_at, "
        + "delivery_lead_ms, send_timeout_ms, body, attempts";

    private final JdbcTemplate jdbc;

    private final TransactionTemplate newTransaction;

    private final TimedMessageSender sender;

    private final JournalSchema schema;

    private final Settings settings;

    /** Committed rows waiting for the sending thread. */
    private final Queue<Long> committed = new ConcurrentLinkedQueue<>();

    /** Whether a drain of {@link #committed} is scheduled or running on the sending thread. */
    private final AtomicBoolean draining = new AtomicBoolean();

    private final Map<String, LongAdder> parked = new ConcurrentHashMap<>();

    private final List<Consumer<String>> parkedListeners = new CopyOnWriteArrayList<>();

    private volatile ExecutorService sending;

    private volatile @Nullable ScheduledExecutorService scheduler;

    private volatile long lastPrune;

    /**
     * @param interval how often pending rows are looked for
     * @param batchSize most rows sent per transaction
     * @param retention how long sent rows, tombstones, handled records and exhausted messages are kept
     * @param maxAttempts refusals by the broker after which a row is parked
     */
    public record Settings(Duration interval, int batchSize, Duration retention, int maxAttempts) {
    }

    /**
     * What became of one row a batch took.
     *
     * @param id the outbox row
     * @param producer its producer
     * @param messageId the broker's message id when it was sent, else null
     * @param error why it was not sent, else null
     * @param parked whether this failure parked it
     */
    record Outcome(long id, String producer, @Nullable String messageId, @Nullable String error, boolean parked) {
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
        this.sending = sendingThread();
    }

    private record Row(long id, TimedMessage message, Duration lead, Duration timeout, int attempts) {
    }

    private static final RowMapper<Row> ROWS = (rs, i) -> new Row(rs.getLong("id"),
        new TimedMessage(rs.getString("producer"), rs.getString("topic"), rs.getString("tag"),
            rs.getString("business_key"), rs.getBytes("body"), rs.getInt("attempt"),
            Instant.ofEpochMilli(rs.getLong("due_at")), Instant.ofEpochMilli(rs.getLong("first_sent_at")), null),
        Duration.ofMillis(rs.getLong("delivery_lead_ms")), Duration.ofMillis(rs.getLong("send_timeout_ms")),
        rs.getInt("attempts"));

    /**
     * Hands rows whose transaction has just committed to the sending thread, and returns at once: the
     * committing thread must not wait for a connection or the broker while it still holds its own.
     */
    void submit(List<Long> ids) {
        committed.addAll(ids);
        drainSoon();
    }

    /**
     * Runs a task on the sending thread, after the rows handed over before it (a recall after a commit).
     *
     * @return false when the relay is stopped and the task will not run
     */
    boolean execute(Runnable task) {
        try {
            sending.execute(task);
            return true;
        }
        catch (RejectedExecutionException ex) {
            return false;
        }
    }

    private void drainSoon() {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        try {
            sending.execute(this::drain);
        }
        catch (RejectedExecutionException ex) {
            // Stopped: the rows stay pending in the outbox, and the pass at the next start sends them.
            draining.set(false);
        }
    }

    /** Sends one batch of the committed rows, then gives the thread back: a recall queued meanwhile goes next. */
    private void drain() {
        try {
            List<Long> batch = new ArrayList<>();
            Long id;
            while (batch.size() < settings.batchSize() && (id = committed.poll()) != null) {
                batch.add(id);
            }
            if (!batch.isEmpty()) {
                sendCommitted(batch);
            }
        }
        catch (RuntimeException ex) {
            LOG.warn("Sending committed outbox rows failed; they stay pending for the relay's next pass in "
                + settings.interval() + ": " + ex);
        }
        finally {
            // Even after an Error: a submit that saw this drain running left its rows to it.
            draining.set(false);
            if (!committed.isEmpty()) {
                drainSoon();
            }
        }
    }

    /** Sends these rows if still pending and nobody else is sending them; after their transaction committed. */
    List<Outcome> sendCommitted(List<Long> ids) {
        String placeholders = String.join(", ", Collections.nCopies(ids.size(), "?"));
        return counted(newTransaction.execute(status -> send(jdbc.query("SELECT " + COLUMNS + " FROM "
            + JournalSchema.OUTBOX + " WHERE id IN (" + placeholders + ") AND state = 'PENDING'"
            + schema.dialect().lockSkippingLocked(), ROWS, ids.toArray()))));
    }

    /**
     * Sends every pending row nobody else is sending, batch by batch in id order; a row that fails is passed
     * over, never in the way of those after it.
     *
     * @return how many were sent
     */
    public int relayPending() {
        int sent = 0;
        long after = 0;
        while (true) {
            long from = after;
            List<Outcome> outcomes = counted(newTransaction.execute(status -> send(jdbc.query("SELECT " + COLUMNS
                + " FROM " + JournalSchema.OUTBOX + " WHERE state = 'PENDING' AND id > ? ORDER BY id LIMIT "
                + settings.batchSize() + schema.dialect().lockSkippingLocked(), ROWS, from))));
            sent += (int) outcomes.stream().filter(outcome -> outcome.messageId() != null).count();
            if (outcomes.size() < settings.batchSize()) {
                return sent;
            }
            after = outcomes.get(outcomes.size() - 1).id();
        }
    }

    /** Sends the locked rows all at once and records each outcome; in the rows' order. */
    private List<Outcome> send(List<Row> rows) {
        List<CompletableFuture<TimedMessageReceipt>> sends = new ArrayList<>(rows.size());
        for (Row row : rows) {
            sends.add(sender.sendAsync(row.message(), row.lead(), row.timeout()));
        }
        List<Outcome> outcomes = new ArrayList<>(rows.size());
        List<Object[]> sent = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            try {
                TimedMessageReceipt receipt = sends.get(i).join();
                sent.add(new Object[] {sender.clock().millis(), receipt.messageId(), receipt.recallHandle(), row.id()});
                outcomes.add(new Outcome(row.id(), row.message().producer(), receipt.messageId(), null, false));
            }
            catch (CompletionException ex) {
                outcomes.add(failed(row, ex.getCause() != null ? ex.getCause() : ex));
            }
        }
        if (!sent.isEmpty()) {
            jdbc.batchUpdate("UPDATE " + JournalSchema.OUTBOX + " SET state = 'SENT', sent_at = ?, message_id = ?, "
                + "recall_handle = ?, last_error = NULL WHERE id = ?", sent);
        }
        return outcomes;
    }

    private Outcome failed(Row row, Throwable failure) {
        String reason = String.valueOf(failure.getMessage());
        reason = reason.length() > MAX_ERROR ? reason.substring(0, MAX_ERROR) : reason;
        String which = "Outbox row " + row.id() + " (producer '" + row.message().producer() + "', key "
            + row.message().businessKey() + ")";
        if (!refused(failure)) {
            jdbc.update("UPDATE " + JournalSchema.OUTBOX + " SET last_error = ? WHERE id = ?", reason, row.id());
            LOG.warn(which + " could not be sent; it stays pending for the relay's next pass: " + reason);
            return new Outcome(row.id(), row.message().producer(), null, reason, false);
        }
        int attempts = row.attempts() + 1;
        if (attempts < settings.maxAttempts()) {
            jdbc.update("UPDATE " + JournalSchema.OUTBOX + " SET attempts = ?, last_error = ? WHERE id = ?", attempts,
                reason, row.id());
            LOG.warn(which + " was refused (" + attempts + " of " + settings.maxAttempts() + " attempts, "
                + "mqs.ons.jdbc.relay-max-attempts); the relay tries again on its next pass: " + reason);
            return new Outcome(row.id(), row.message().producer(), null, reason, false);
        }
        jdbc.update("UPDATE " + JournalSchema.OUTBOX + " SET attempts = ?, last_error = ?, state = 'PARKED', "
            + "parked_at = ? WHERE id = ?", attempts, reason, sender.clock().millis(), row.id());
        LOG.error(which + " was refused " + attempts + " times (mqs.ons.jdbc.relay-max-attempts) and is parked: it is "
            + "not sent again until replayed (ParkedSends.replay, or POST /actuator/onsdelayparked/" + row.id()
            + "). Last reason: " + reason);
        return new Outcome(row.id(), row.message().producer(), null, reason, true);
    }

    /**
     * Whether the broker, or the client's own checks, refused this very message, so that sending it again would
     * fail alike; false for failures that say nothing about it (no answer, unreachable, throttled, the
     * server's internal error).
     */
    static boolean refused(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException || cause instanceof ProxyTimeoutException
                    || cause instanceof TooManyRequestsException || cause instanceof InternalErrorException) {
                return false;
            }
            if (cause instanceof BadRequestException || cause instanceof NotFoundException
                    || cause instanceof PayloadTooLargeException || cause instanceof PayloadEmptyException
                    || cause instanceof ForbiddenException || cause instanceof UnauthorizedException
                    || cause instanceof PaymentRequiredException || cause instanceof RequestHeaderFieldsTooLargeException
                    || cause instanceof UnsupportedException || cause instanceof IllegalArgumentException) {
                return true;
            }
            if (cause instanceof ExecutionException || cause instanceof CompletionException) {
                continue;
            }
            if (cause.getCause() == null) {
                // The library's own refusal (a hop with hops off) carries no cause.
                return cause instanceof OnsSendException;
            }
        }
        return false;
    }

    private List<Outcome> counted(@Nullable List<Outcome> outcomes) {
        if (outcomes == null) {
            return List.of();
        }
        for (Outcome outcome : outcomes) {
            if (outcome.parked()) {
                parked.computeIfAbsent(outcome.producer(), producer -> new LongAdder()).increment();
                parkedListeners.forEach(listener -> listener.accept(outcome.producer()));
            }
        }
        return outcomes;
    }

    /** Rows this application parked since it started, by producer. */
    Map<String, LongAdder> parkedCounts() {
        return parked;
    }

    /** Called with the producer's name each time a row is parked (after its transaction committed). */
    void onParked(Consumer<String> listener) {
        parkedListeners.add(listener);
    }

    /**
     * Makes a parked row pending again, its attempts reset, and sends it now on the calling thread.
     *
     * @return empty when there is no parked row with this id; else its outcome, or an outcome with neither id
     *     nor error when another pass took the row first
     */
    Optional<Outcome> replayParked(long id, String producer) {
        int unparked = jdbc.update("UPDATE " + JournalSchema.OUTBOX + " SET state = 'PENDING', attempts = 0, "
            + "parked_at = NULL WHERE id = ? AND state = 'PARKED'", id);
        if (unparked == 0) {
            return Optional.empty();
        }
        List<Outcome> outcomes = sendCommitted(List.of(id));
        return Optional.of(outcomes.isEmpty() ? new Outcome(id, producer, null, null, false) : outcomes.get(0));
    }

    /**
     * Deletes what is older than the retention, by the database's clock: sent, withdrawn, recalled or parked rows
     * past their due time, and the rest.
     */
    public void prune() {
        long before = schema.dialect().now(jdbc) - settings.retention().toMillis();
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

    private static ExecutorService sendingThread() {
        return Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ons-delay-outbox-sender");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public synchronized void start() {
        if (sending.isShutdown()) {
            sending = sendingThread();
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ons-delay-outbox-relay");
            thread.setDaemon(true);
            return thread;
        });
        started.scheduleWithFixedDelay(this::pass, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
        scheduler = started;
        drainSoon();
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService running = scheduler;
        scheduler = null;
        if (running != null) {
            running.shutdown();
        }
        // Rows handed over and not yet sent stay pending: the pass at the next start sends them.
        sending.shutdown();
        try {
            if (running != null) {
                running.awaitTermination(10, TimeUnit.SECONDS);
            }
            sending.awaitTermination(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

}
