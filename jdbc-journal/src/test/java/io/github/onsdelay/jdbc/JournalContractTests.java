package io.github.onsdelay.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.onsdelay.core.TimedMessage;
import io.github.onsdelay.core.TimedMessageSender;
import io.github.onsdelay.jdbc.internal.OutboxRelay;
import io.github.onsdelay.producer.CancelResult;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.producer.SendResult;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.core.Ordered;

/**
 * The journal's contract, run on each supported database by a subclass that supplies it: outbox (commit,
 * rollback, a crash between commit and send, two instances relaying), handle once, cancel (before due, after a
 * hop, with a retry pending, an unknown key), exhausted messages kept and replayed.
 */
abstract class JournalContractTests {

    /** The server's longest delay in this suite: longer ones travel in hops, as on a stock proxy past 1 d. */
    static final String SERVER_MAX_DELAY = "3s";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    @Qualifier("order-cancel")
    DelayProducer orders;

    @Autowired
    @Qualifier("partner-push")
    DelayProducer pushes;

    @Autowired
    JournalListeners listeners;

    @Autowired
    OutboxRelay relay;

    @Autowired
    TimedMessageSender sender;

    @Autowired
    ExhaustedMessages exhausted;

    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void tables() {
        jdbc.execute("CREATE TABLE IF NOT EXISTS journal_test_cancellation (order_id VARCHAR(64) NOT NULL, attempt INT)");
    }

    static String key(String what) {
        return what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    String outboxState(String key) {
        List<String> states = jdbc.queryForList("SELECT state FROM ons_delay_outbox WHERE business_key = ?",
            String.class, key);
        return states.isEmpty() ? "none" : String.join(",", states);
    }

    @Test
    void aSendInsideACommittedTransactionIsSentAfterTheCommitAndHandled() {
        String key = key("commit");
        SendResult result = transaction.execute(status -> {
            SendResult pending = pushes.send(DelayMessage.of(Map.of("k", key)).withKey(key));
            assertThat(outboxState(key)).as("inside the transaction").isEqualTo("PENDING");
            return pending;
        });
        assertThat(result.isPending()).isTrue();
        assertThat(result.messageId()).isNull();
        assertThat(outboxState(key)).as("right after the commit").isEqualTo("SENT");
        await().atMost(Duration.ofSeconds(10)).until(() -> listeners.runs(listeners.pushRuns, key) == 1);
    }

    @Test
    void aRolledBackSendSendsNothing() {
        String key = key("rollback");
        transaction.executeWithoutResult(status -> {
            pushes.send(DelayMessage.of(Map.of("k", key)).withKey(key));
            status.setRollbackOnly();
        });
        assertThat(outboxState(key)).isEqualTo("none");
        assertThat(relay.relayPending()).isZero();
        // Due at once: had it been sent, its handler would have run well within this.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
            .until(() -> listeners.runs(listeners.pushRuns, key) == 0);
    }

    @Test
    void aSendLostBetweenCommitAndBrokerIsSentOnceByTheRelay() {
        String key = key("crash");
        // Stands for a process that dies after the commit: the synchronization that would send never runs.
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            pushes.send(DelayMessage.of(Map.of("k", key)).withKey(key));
            TransactionSynchronizationManager.registerSynchronization(new CrashAfterCommit());
        })).hasMessageContaining("crashed after the commit");
        assertThat(outboxState(key)).isEqualTo("PENDING");

        assertThat(relay.relayPending()).isEqualTo(1);
        assertThat(relay.relayPending()).as("a second pass finds nothing").isZero();
        assertThat(outboxState(key)).isEqualTo("SENT");
        await().atMost(Duration.ofSeconds(10)).until(() -> listeners.runs(listeners.pushRuns, key) == 1);
    }

    @Test
    void twoInstancesRelayingAtOnceSendEachRowOnce() throws Exception {
        String prefix = key("pair");
        long now = sender.clock().millis();
        int rows = 200;
        for (int i = 0; i < rows; i++) {
            jdbc.update("INSERT INTO ons_delay_outbox (producer, topic, tag, business_key, attempt, due_at, first_sent_at, "
                + "delivery_lead_ms, send_timeout_ms, body, state, created_at) VALUES ('partner-push', ?, NULL, ?, 0, ?, "
                + "?, 0, 3000, ?, 'PENDING', ?)", pushes.getSettings().topic(), prefix + "-" + i, now, now,
                "{\"k\":1}".getBytes(), now);
        }
        Thread first = new Thread(relay::relayPending);
        Thread second = new Thread(relay::relayPending);
        first.start();
        second.start();
        first.join();
        second.join();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ons_delay_outbox WHERE business_key LIKE ? AND state = 'SENT'",
            Integer.class, prefix + "-%")).isEqualTo(rows);
        await().atMost(Duration.ofSeconds(20)).until(() -> listeners.pushRuns.stream()
            .filter(run -> run.startsWith(prefix)).count() >= rows);
        // Each row reached the broker once: no second delivery of any key arrives after the first ones.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
            .until(() -> listeners.pushRuns.stream().filter(run -> run.startsWith(prefix)).count() == rows);
        assertThat(listeners.pushRuns.stream().filter(run -> run.startsWith(prefix)).distinct().count()).isEqualTo(rows);
    }

    @Test
    void aRedeliveredAttemptWhoseHandlerCommittedIsNotHandledAgain() {
        String key = key("once");
        transaction.executeWithoutResult(status -> orders.send(DelayMessage.of(key).withKey(key)));
        await().atMost(Duration.ofSeconds(10)).until(() -> listeners.runs(listeners.orderRuns, key) == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> handled(key) == 1);

        // The same attempt delivered again, as the broker does when an acknowledgement is lost.
        Instant now = sender.clock().instant();
        sender.send(new TimedMessage("order-cancel", orders.getSettings().topic(), orders.getSettings().tag(), key,
            ("\"" + key + "\"").getBytes(), 0, now, now.minusSeconds(5), null), Duration.ZERO, Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(10)).until(() -> counter("ons.delay.duplicates", "-orders") >= 1);
        assertThat(listeners.runs(listeners.orderRuns, key)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM journal_test_cancellation WHERE order_id = ?",
            Integer.class, key)).isEqualTo(1);
    }

    @Test
    void aFailedIdempotentAttemptLeavesNoRecordAndItsRetryRuns() {
        String key = key("fails");
        listeners.failing.add(key);
        transaction.executeWithoutResult(status -> orders.send(DelayMessage.of(key).withKey(key)));
        await().atMost(Duration.ofSeconds(10)).until(() -> listeners.runs(listeners.orderRuns, key) == 1);
        listeners.failing.remove(key);
        await().atMost(Duration.ofSeconds(10)).until(() -> listeners.orderRuns.contains(key + "#1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> handled(key) == 1);
        assertThat(jdbc.queryForList("SELECT attempt FROM journal_test_cancellation WHERE order_id = ?", Integer.class,
            key)).as("the failed attempt's own row rolled back with its record").containsExactly(1);
    }

    @Test
    void aCancelBeforeDueRecallsTheMessage() throws Exception {
        String key = key("recall");
        // Released 3 s minus the lead after the send: within the server's maximum, so not a hop.
        transaction.executeWithoutResult(status -> orders.send(DelayMessage.of(key).withKey(key)
            .withDeliverAt(sender.clock().instant().plusSeconds(3))));
        assertThat(outboxState(key)).isEqualTo("SENT");
        double cancelledBefore = counter("ons.delay.cancelled", "-orders");

        CancelResult result = orders.cancel(key);
        assertThat(result.recalled()).isEqualTo(1);
        assertThat(result.journaled()).isTrue();
        assertThat(outboxState(key)).isEqualTo("RECALLED");
        // Due 3 s after the send: past it, with the broker's lateness to spare, the handler has not run.
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6))
            .until(() -> listeners.runs(listeners.orderRuns, key) == 0);
        assertThat(counter("ons.delay.cancelled", "-orders")).as("never delivered: recalled, not stopped by the "
            + "tombstone").isEqualTo(cancelledBefore);
    }

    @Test
    void aCancelAfterAHopStopsTheMessageByItsTombstone() {
        String key = key("hopped");
        // Further than the server's maximum plus the listener's hold horizon (lead + 10 s): the first leg,
        // released 3 s after the send, is sent on by the listener as a second leg, released 3 s later.
        Instant due = sender.clock().instant().plusSeconds(20);
        double hopsBefore = counter("ons.delay.hops", "-orders");
        SendResult sent = transaction.execute(status -> orders.send(DelayMessage.of(key).withKey(key)
            .withDeliverAt(due)));
        assertThat(sent.isPending()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> counter("ons.delay.hops", "-orders") > hopsBefore);
        double hopsAtCancel = counter("ons.delay.hops", "-orders");
        double cancelledBefore = counter("ons.delay.cancelled", "-orders");

        CancelResult result = orders.cancel(key);
        assertThat(result.journaled()).isTrue();
        assertThat(result.recalled()).as("the leg in the broker's timer has a handle the outbox never saw").isZero();
        // The second leg meets the tombstone and is not sent on again: nothing of the key is left to deliver.
        await().atMost(Duration.ofSeconds(10)).until(() -> counter("ons.delay.cancelled", "-orders") > cancelledBefore);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
            .until(() -> counter("ons.delay.hops", "-orders") == hopsAtCancel
                && listeners.runs(listeners.orderRuns, key) == 0);
    }

    @Test
    void aCancelWithARetryPendingStopsTheRetry() throws Exception {
        String key = key("retrying");
        listeners.failing.add(key);
        pushes.send(DelayMessage.of(Map.of("k", key)).withKey(key));
        await().atMost(Duration.ofSeconds(10)).until(() -> listeners.runs(listeners.pushRuns, key) == 1);
        double cancelledBefore = counter("ons.delay.cancelled", "-pushes");

        CancelResult result = pushes.cancel(key);
        assertThat(result.journaled()).as("sent outside a transaction: not in the outbox").isFalse();
        assertThat(result.recalled()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> counter("ons.delay.cancelled", "-pushes") > cancelledBefore);
        assertThat(listeners.runs(listeners.pushRuns, key)).as("attempt 1 acknowledged without a handler run").isEqualTo(1);
    }

    @Test
    void aCancelForAnUnknownKeySaysSo() {
        CancelResult result = orders.cancel("never-sent-" + UUID.randomUUID());
        assertThat(result.journaled()).isFalse();
        assertThat(result.recalled()).isZero();
        assertThat(result.withdrawn()).isZero();
        assertThat(result.toString()).contains("no journaled send of this key");
    }

    @Test
    void aCancelInsideTheSendingTransactionWithdrawsTheSend() throws Exception {
        String key = key("withdrawn");
        CancelResult result = transaction.execute(status -> {
            pushes.send(DelayMessage.of(Map.of("k", key)).withKey(key));
            return pushes.cancel(key);
        });
        assertThat(result.withdrawn()).isEqualTo(1);
        assertThat(outboxState(key)).isEqualTo("CANCELLED");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
            .until(() -> listeners.runs(listeners.pushRuns, key) == 0);
    }

    @Test
    void anExhaustedMessageIsKeptAndAReplayRunsItsHandlerAgain() {
        String key = key("exhaust");
        listeners.failing.add(key);
        pushes.send(DelayMessage.of(Map.of("k", key)).withKey(key));
        await().atMost(Duration.ofSeconds(15)).until(() -> exhausted.list("%s-pushes".formatted(prefix()), 50).stream()
            .anyMatch(message -> message.businessKey().equals(key)));
        ExhaustedMessage kept = exhausted.list(null, 50).stream().filter(message -> message.businessKey().equals(key))
            .findFirst().orElseThrow();
        assertThat(kept.attempt()).isEqualTo(1);
        assertThat(kept.reason()).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(kept.lastError()).contains("partner refused " + key);
        assertThat(kept.bodyText()).contains(key);
        assertThat(listeners.runs(listeners.pushRuns, key)).isEqualTo(2);

        listeners.failing.remove(key);
        ReplayResult replay = exhausted.replay(kept.id());
        assertThat(replay.replayCount()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> listeners.pushRuns.contains(key + "#0")
            && listeners.runs(listeners.pushRuns, key) == 3);
        ExhaustedMessage after = exhausted.find(kept.id()).orElseThrow();
        assertThat(after.replayCount()).isEqualTo(1);
        assertThat(after.replayedAt()).isNotNull();
        assertThatThrownBy(() -> exhausted.replay(kept.id(), 7)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("outside producer 'partner-push''s schedule");
    }

    abstract String prefix();

    int handled(String key) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM ons_delay_handled WHERE business_key = ?",
            Integer.class, key);
        return count == null ? 0 : count;
    }

    double counter(String name, String groupSuffix) {
        var counter = meters.find(name).tag("messaging.consumer.group.name", prefix() + groupSuffix).functionCounter();
        return counter == null ? 0 : counter.count();
    }

    /** Throws after the commit, before the journal's own synchronization sends. */
    static final class CrashAfterCommit implements TransactionSynchronization, Ordered {

        @Override
        public void afterCommit() {
            throw new IllegalStateException("crashed after the commit");
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }

    }

}
