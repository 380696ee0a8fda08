package io.github.onsdelay.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.onsdelay.core.TimedMessage;
import io.github.onsdelay.core.TimedMessageSender;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.embedded.TopicMessageType;
import io.github.onsdelay.jdbc.internal.OutboxRelay;
import io.github.onsdelay.producer.RescheduleResult;
import io.github.onsdelay.producer.CancelResult;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.producer.SendResult;
import io.github.onsdelay.test.ServerLine;
import io.github.onsdelay.test.TestApplication;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.core.Ordered;

/**
 * The journal's contract, run on each supported database by a subclass that supplies it: outbox (commit,
 * rollback, a crash between commit and send, two instances relaying, a row the broker refuses parked without
 * holding up the others), handle once, cancel (before due, after a hop, with a retry pending, an unknown key,
 * in a transaction that rolls back or commits, between hosts whose clocks differ, several at once), exhausted
 * messages kept and replayed.
 */
abstract class JournalContractTests {

    /** The server's longest delay in this suite: longer ones travel in hops, as on a stock proxy past 1 d. */
    static final String SERVER_MAX_DELAY = "3s";

    /**
     * How far ahead a message to be recalled is due: released 2.8 s after its send (less the 600 ms lead), inside
     * the server's maximum, so not a hop, and leaving the cancel as long as that allows (at 3 s, a send slowed by
     * the build's load once left too little: the message was released before the recall).
     */
    static final long RECALLABLE_DUE_MS = 3_400;

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

    @Autowired
    ParkedSends parked;

    @Autowired
    EmbeddedRocketMQBroker broker;

    @Autowired
    Environment environment;

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

    /** The server is the line this run names: the cancel tests also run on RocketMQ 5.3 (execution rocketmq-5.3). */
    @Test
    void theServerIsTheLineThisRunNames() {
        assertThat(broker.serverVersion()).isEqualTo(ServerLine.expectedServerVersion());
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
        // Sent by the relay's own thread once the commit handed the row over, not by the committing thread, and
        // not by a pass (every hour here). 5 s was once too short for this first send of its JVM with four test
        // JVMs on two cores; a send that failed would leave the row pending until a pass: its error then tells.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(outboxState(key))
            .as("the row's state; its last error: %s", jdbc.queryForList("SELECT last_error FROM ons_delay_outbox "
                + "WHERE business_key = ?", String.class, key))
            .isEqualTo("SENT"));
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
        transaction.executeWithoutResult(status -> orders.send(DelayMessage.of(key).withKey(key)
            .withDeliverAt(sender.clock().instant().plusMillis(RECALLABLE_DUE_MS))));
        await().atMost(Duration.ofSeconds(2)).until(() -> outboxState(key).equals("SENT"));
        double cancelledBefore = counter("ons.delay.cancelled", "-orders");

        CancelResult result = orders.cancel(key);
        assertThat(result.recalled()).as("outside a transaction: recalled once its own committed").isEqualTo(1);
        assertThat(result.recallsAfterCommit()).isZero();
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
    void aCancelInATransactionThatRollsBackRecallsNothingAndTheMessageIsHandled() {
        String key = key("paid-rollback");
        transaction.executeWithoutResult(status -> orders.send(DelayMessage.of(key).withKey(key)
            .withDeliverAt(sender.clock().instant().plusSeconds(3))));
        await().atMost(Duration.ofSeconds(2)).until(() -> outboxState(key).equals("SENT"));

        // pay() { cancel(orderId); save(); } whose save fails: the cancel must leave no trace at the broker.
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            CancelResult result = orders.cancel(key);
            assertThat(result.recallsAfterCommit()).as("scheduled for after the commit").isEqualTo(1);
            assertThat(result.recalled()).isZero();
            throw new IllegalStateException("save failed");
        })).hasMessage("save failed");

        assertThat(outboxState(key)).isEqualTo("SENT");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ons_delay_cancelled WHERE business_key = ?",
            Integer.class, key)).as("the tombstone rolled back").isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> listeners.runs(listeners.orderRuns, key) == 1);
    }

    @Test
    void aCancelInACommittedTransactionRecallsRightAfterTheCommit() {
        String key = key("paid-commit");
        transaction.executeWithoutResult(status -> orders.send(DelayMessage.of(key).withKey(key)
            .withDeliverAt(sender.clock().instant().plusMillis(RECALLABLE_DUE_MS))));
        await().atMost(Duration.ofSeconds(2)).until(() -> outboxState(key).equals("SENT"));
        double cancelledBefore = counter("ons.delay.cancelled", "-orders");

        CancelResult result = transaction.execute(status -> {
            CancelResult inside = orders.cancel(key);
            assertThat(outboxState(key)).as("nothing recalled before the commit").isEqualTo("SENT");
            return inside;
        });
        assertThat(result.recallsAfterCommit()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(2)).until(() -> outboxState(key).equals("RECALLED"));
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6))
            .until(() -> listeners.runs(listeners.orderRuns, key) == 0);
        assertThat(counter("ons.delay.cancelled", "-orders")).as("recalled, never delivered").isEqualTo(cancelledBefore);
    }

    @Test
    void aRowTheBrokerRefusesIsPassedOverAndParkedAfterItsAttempts() {
        String key = key("refused");
        String unknownTopic = prefix() + "_unknown_" + UUID.randomUUID().toString().substring(0, 4);
        // As a crash between commit and send leaves them: the refused row first, in id order, then three others.
        long refused = pendingRow(unknownTopic, key);
        List<String> later = List.of(key + "-a", key + "-b", key + "-c");
        later.forEach(other -> pendingRow(pushes.getSettings().topic(), other));
        double parkedBefore = parkedCounter();

        assertThat(relay.relayPending()).as("the rows after the refused one are sent").isEqualTo(later.size());
        later.forEach(other -> assertThat(outboxState(other)).isEqualTo("SENT"));
        await().atMost(Duration.ofSeconds(10)).until(() -> later.stream()
            .allMatch(other -> listeners.runs(listeners.pushRuns, other) == 1));
        assertThat(jdbc.queryForMap("SELECT state, attempts FROM ons_delay_outbox WHERE id = ?", refused))
            .containsEntry("state", "PENDING").containsEntry("attempts", 1);

        relay.relayPending();
        relay.relayPending();
        assertThat(outboxState(key)).as("parked at mqs.ons.jdbc.relay-max-attempts=3").isEqualTo("PARKED");
        assertThat(parked.find(refused)).hasValueSatisfying(row -> {
            assertThat(row.attempts()).isEqualTo(3);
            assertThat(row.lastError()).contains(unknownTopic);
            assertThat(row.businessKey()).isEqualTo(key);
        });
        assertThat(parked.list(null, 50)).extracting(ParkedSend::id).contains(refused);
        assertThat(parkedCounter()).isEqualTo(parkedBefore + 1);
        assertThat(relay.relayPending()).isZero();
        assertThat(parked.find(refused)).as("a parked row is not tried again on its own")
            .hasValueSatisfying(row -> assertThat(row.attempts()).isEqualTo(3));

        // Its cause gone (the topic created, its route seen by the client), a replay sends it. The embedded proxy
        // reads a route it could not find again within a second (a stock proxy: 20 s); the wait is generous because
        // the client, too, must see the new route, and on a loaded machine a refresh can come late.
        broker.createTopic(unknownTopic, TopicMessageType.DELAY);
        Instant now = sender.clock().instant();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> sender.send(new TimedMessage("probe",
            unknownTopic, null, "probe", new byte[] {'1'}, 0, now, now, null), Duration.ZERO, Duration.ofSeconds(3))
            .messageId() != null);
        ParkedReplay replay = parked.replay(refused);
        assertThat(replay.isSent()).as("replayed: %s", replay).isTrue();
        assertThat(outboxState(key)).isEqualTo("SENT");
        assertThatThrownBy(() -> parked.replay(refused)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("No parked outbox row with id " + refused);
    }

    long pendingRow(String topic, String key) {
        long now = sender.clock().millis();
        jdbc.update("INSERT INTO ons_delay_outbox (producer, topic, tag, business_key, attempt, due_at, first_sent_at, "
            + "delivery_lead_ms, send_timeout_ms, body, state, created_at) VALUES ('partner-push', ?, NULL, ?, 0, ?, ?, "
            + "0, 3000, ?, 'PENDING', ?)", topic, key, now, now, ("{\"k\":\"" + key + "\"}").getBytes(), now);
        Long id = jdbc.queryForObject("SELECT id FROM ons_delay_outbox WHERE business_key = ?", Long.class, key);
        return id == null ? -1 : id;
    }

    double parkedCounter() {
        var counter = meters.find("ons.delay.outbox.parked").tag("ons.delay.producer", "partner-push").functionCounter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aCancelJustAfterASendFromAHostWhoseClockIsAheadStopsIt() {
        String key = key("skewed-send");
        ConfigurableApplicationContext other = skewedApplication();
        DelayProducer skewedPushes = other.getBean("partner-push", DelayProducer.class);
        // Due now by this host's clock; first sent 2 s later by the sending host's, whose broker release
        // (never before its own now) comes about 2 s later. (A skew past the server's maximum delay, 3 s here,
        // would have the broker refuse it.)
        Instant due = sender.clock().instant();
        other.getBean(TransactionTemplate.class).executeWithoutResult(status ->
            skewedPushes.send(DelayMessage.of(Map.of("k", key)).withKey(key).withDeliverAt(due)));
        // The broker releases it about SKEW after it took it, and the row is marked sent right after that: the cancel
        // below comes well inside the window however long the send itself took (over 2 s once, under load).
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
            .until(() -> outboxState(key).equals("SENT"));
        double cancelledBefore = counter("ons.delay.cancelled", "-pushes");

        CancelResult result = pushes.cancel(key);
        assertThat(result.journaled()).isTrue();
        assertThat(result.recalled()).as("already due here: left to the tombstone").isZero();
        await().atMost(Duration.ofSeconds(15)).until(() -> counter("ons.delay.cancelled", "-pushes") > cancelledBefore);
        assertThat(listeners.runs(listeners.pushRuns, key)).isZero();
    }

    @Test
    void aSendJustAfterACancelFromAHostWhoseClockIsAheadIsHandled() {
        String key = key("skewed-cancel");
        ConfigurableApplicationContext other = skewedApplication();
        other.getBean("partner-push", DelayProducer.class).cancel(key);

        transaction.executeWithoutResult(status -> pushes.send(DelayMessage.of(Map.of("k", key)).withKey(key)));
        await().atMost(Duration.ofSeconds(10)).until(() -> listeners.runs(listeners.pushRuns, key) == 1);
        // Sent outside a transaction: ordered by this host's clock against the database's.
        pushes.send(DelayMessage.of(Map.of("k", key)).withKey(key));
        await().atMost(Duration.ofSeconds(10)).until(() -> listeners.runs(listeners.pushRuns, key) == 2);
    }

    @Test
    void cancelsOfOneKeyAtTheSameInstantAllSucceed() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 20; round++) {
                String key = key("race");
                CyclicBarrier together = new CyclicBarrier(4);
                List<Future<CancelResult>> cancels = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    cancels.add(threads.submit(() -> {
                        together.await();
                        return orders.cancel(key);
                    }));
                }
                for (Future<CancelResult> cancel : cancels) {
                    assertThat(cancel.get(30, TimeUnit.SECONDS).businessKey()).isEqualTo(key);
                }
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ons_delay_cancelled WHERE business_key = ?",
                    Integer.class, key)).isEqualTo(1);
            }
        }
        finally {
            threads.shutdownNow();
        }
    }

    /** How far ahead the clock of {@link #skewedApplication()} runs; the tests cancel and send within it. */
    static final Duration SKEW = Duration.ofSeconds(2);

    private static ConfigurableApplicationContext skewed;

    /**
     * A second application on the same database and broker whose clock runs {@link #SKEW} ahead: another host.
     * It has no listeners.
     */
    ConfigurableApplicationContext skewedApplication() {
        if (skewed == null) {
            skewed = new SpringApplicationBuilder(TestApplication.class, SkewedClock.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
                .properties("journal.prefix=" + prefix(), "spring.jmx.enabled=false",
                    "spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                    "spring.datasource.username=" + environment.getProperty("spring.datasource.username"),
                    "spring.datasource.password=" + environment.getProperty("spring.datasource.password", ""),
                    "mqs.ons.endpoints=" + broker.endpoints(), "mqs.ons.max-delay=" + SERVER_MAX_DELAY,
                    "mqs.ons.timer-precision=" + broker.timerPrecision().toMillis() + "ms")
                .run();
        }
        return skewed;
    }

    @AfterAll
    static void closeSkewed() {
        if (skewed != null) {
            skewed.close();
            skewed = null;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SkewedClock {

        @Bean
        Clock skewedClock() {
            return Clock.offset(Clock.systemUTC(), SKEW);
        }

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


    @Test
    void aRescheduleMovesAPendingMessageLaterAndOnlyTheNewOneRuns() {
        String key = key("later");
        transaction.executeWithoutResult(status -> orders.send(DelayMessage.of(key).withKey(key)
            .withDeliverAt(sender.clock().instant().plusMillis(RECALLABLE_DUE_MS))));
        await().atMost(Duration.ofSeconds(2)).until(() -> outboxState(key).equals("SENT"));

        Instant asked = sender.clock().instant().plusSeconds(6);
        RescheduleResult result = orders.reschedule(key, asked);
        assertThat(result.outcome()).isEqualTo(RescheduleResult.Outcome.MOVED);
        assertThat(result.dueAt()).isEqualTo(asked.truncatedTo(ChronoUnit.MILLIS));
        await().atMost(Duration.ofSeconds(12)).until(() -> listeners.runs(listeners.orderRuns, key) == 1);
        assertThat(listeners.orderFirstRunAt.get(key)).as("the new time, not the old one").isAfterOrEqualTo(asked);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
            .until(() -> listeners.runs(listeners.orderRuns, key) == 1);
    }

    @Test
    void aRescheduleMovesAPendingMessageEarlierAndTheOldOneNeverRuns() {
        // The push listener is not idempotent: an old message that still ran would be counted.
        String key = key("earlier");
        Instant old = sender.clock().instant().plusSeconds(7);
        transaction.executeWithoutResult(status -> pushes.send(DelayMessage.of(Map.of("k", key)).withKey(key)
            .withDeliverAt(old)));
        await().atMost(Duration.ofSeconds(2)).until(() -> outboxState(key).equals("SENT"));

        Instant asked = sender.clock().instant().plusSeconds(1);
        assertThat(pushes.reschedule(key, asked).isMoved()).isTrue();
        await().atMost(Duration.ofSeconds(6)).until(() -> listeners.runs(listeners.pushRuns, key) == 1);
        assertThat(listeners.pushFirstRunAt.get(key)).isAfterOrEqualTo(asked).isBefore(old);
        // Past the old time, with the broker's lateness to spare: the old message (a hop here) never ran.
        await().during(Duration.ofMillis(Duration.between(sender.clock().instant(), old).toMillis() + 1_500))
            .atMost(Duration.ofSeconds(12)).until(() -> listeners.runs(listeners.pushRuns, key) == 1);
    }

    @Test
    void aRescheduleAfterTheMessageRanAnswersAlreadyDueAndSendsNothing() {
        String key = key("ran");
        transaction.executeWithoutResult(status -> orders.send(DelayMessage.of(key).withKey(key)));
        await().atMost(Duration.ofSeconds(10)).until(() -> listeners.runs(listeners.orderRuns, key) == 1);
        int rows = outboxRows(key);

        RescheduleResult result = orders.reschedule(key, sender.clock().instant().plusSeconds(1));
        assertThat(result.outcome()).isEqualTo(RescheduleResult.Outcome.ALREADY_DUE);
        assertThat(outboxRows(key)).as("nothing sent").isEqualTo(rows);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
            .until(() -> listeners.runs(listeners.orderRuns, key) == 1);
    }

    @Test
    void twoRacingReschedulesOfOneKeyTakeTurnsAndOneMessageRuns() throws Exception {
        String key = key("race");
        transaction.executeWithoutResult(status -> orders.send(DelayMessage.of(key).withKey(key)
            .withDeliverAt(sender.clock().instant().plusMillis(RECALLABLE_DUE_MS))));
        await().atMost(Duration.ofSeconds(2)).until(() -> outboxState(key).equals("SENT"));

        Instant first = sender.clock().instant().plusSeconds(2);
        Instant second = first.plusMillis(700);
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<RescheduleResult> a = threads.submit(() -> {
                together.await();
                return orders.reschedule(key, first);
            });
            java.util.concurrent.Future<RescheduleResult> b = threads.submit(() -> {
                together.await();
                return orders.reschedule(key, second);
            });
            assertThat(List.of(a.get(10, TimeUnit.SECONDS), b.get(10, TimeUnit.SECONDS)))
                .extracting(RescheduleResult::outcome).containsOnly(RescheduleResult.Outcome.MOVED);
        }
        finally {
            threads.shutdownNow();
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ons_delay_outbox WHERE business_key = ? AND "
            + "cancelled_at IS NULL", Integer.class, key)).as("one live row: the later reschedule moved the earlier's")
            .isEqualTo(1);
        await().atMost(Duration.ofSeconds(8)).until(() -> listeners.runs(listeners.orderRuns, key) == 1);
        assertThat(listeners.orderFirstRunAt.get(key)).isAfterOrEqualTo(first);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
            .until(() -> listeners.runs(listeners.orderRuns, key) == 1);
    }

    @Test
    void aRescheduleInATransactionThatRollsBackLeavesTheMessageAsItWas() {
        String key = key("rollback");
        Instant old = sender.clock().instant().plusMillis(RECALLABLE_DUE_MS);
        transaction.executeWithoutResult(status -> orders.send(DelayMessage.of(key).withKey(key).withDeliverAt(old)));
        await().atMost(Duration.ofSeconds(2)).until(() -> outboxState(key).equals("SENT"));

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            RescheduleResult inside = orders.reschedule(key, sender.clock().instant().plusSeconds(6));
            assertThat(inside.isMoved()).isTrue();
            assertThat(inside.recallsAfterCommit()).isEqualTo(1);
            throw new IllegalStateException("the caller's work failed");
        })).hasMessage("the caller's work failed");
        assertThat(outboxState(key)).isEqualTo("SENT");
        await().atMost(Duration.ofSeconds(8)).until(() -> listeners.runs(listeners.orderRuns, key) == 1);
        assertThat(listeners.orderFirstRunAt.get(key)).as("at its old time").isBefore(old.plusSeconds(2));
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5))
            .until(() -> listeners.runs(listeners.orderRuns, key) == 1);
    }

    @Test
    void aRescheduleOfAnUnknownKeySaysSoAndChangesNothing() {
        String key = "never-sent-" + UUID.randomUUID();
        RescheduleResult result = orders.reschedule(key, sender.clock().instant().plusSeconds(5));
        assertThat(result.outcome()).isEqualTo(RescheduleResult.Outcome.UNKNOWN_KEY);
        assertThat(result.dueAt()).isNull();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ons_delay_cancelled WHERE business_key = ?",
            Integer.class, key)).as("no tombstone").isZero();
        assertThat(outboxRows(key)).isZero();
    }

    int outboxRows(String key) {
        Integer rows = jdbc.queryForObject("SELECT COUNT(*) FROM ons_delay_outbox WHERE business_key = ?",
            Integer.class, key);
        return rows == null ? 0 : rows;
    }

}
