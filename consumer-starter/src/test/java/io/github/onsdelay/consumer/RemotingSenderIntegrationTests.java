package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.embedded.RemotingMessage;
import io.github.onsdelay.test.TestApplication;
import io.github.onsdelay.test.Tolerances;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Messages from producers that are not ons-delay: RocketMQ's remoting client (rocketmq-client of the
 * server's version) sends each kind of timed message, and each is handled once, never before it is due.
 * The broker's own timer releases all but the ONS-style one, so those can be no earlier than the broker
 * makes them; the ONS-style {@code __STARTDELIVERTIME}, which Apache RocketMQ delivers at once, is held.
 */
@SpringBootTest(classes = {TestApplication.class, RemotingSenderIntegrationTests.Handler.class}, properties = {
    "mqs.ons.producers.remote.topic=consumer_remoting"
})
@EmbeddedRocketMQ(topics = "consumer_remoting")
class RemotingSenderIntegrationTests {

    @Autowired
    Handler handler;

    @Test
    void eachTimerKindIsHandledOnceNeverEarly(EmbeddedRocketMQBroker broker) {
        // Times travel as epoch milliseconds.
        Instant sent = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Map<String, Expected> expected = new java.util.LinkedHashMap<>();
        // Absolute times are due when they say; a relative delay counts from its own send, which may come seconds
        // after the first on a loaded machine (each send starts a remoting client): the delay-level message was
        // once 2.6 s "late" counted from the first send.
        send(broker, "deliver-ms", message -> message.deliverTimeMs(sent.plusSeconds(3).toEpochMilli()));
        expected.put("deliver-ms", new Expected(sent.plusSeconds(3), Tolerances.BROKER_LATENESS));
        Instant sending = Instant.now();
        send(broker, "delay-sec", message -> message.delayTimeSec(3));
        expected.put("delay-sec", new Expected(sending.plusSeconds(3), Tolerances.BROKER_LATENESS));
        sending = Instant.now();
        send(broker, "delay-ms", message -> message.delayTimeMs(3_000));
        expected.put("delay-ms", new Expected(sending.plusMillis(3_000), Tolerances.BROKER_LATENESS));
        sending = Instant.now();
        // Level 2 of the broker's default levels (1s 5s 10s ...) is 5 s.
        send(broker, "delay-level", message -> message.delayLevel(2));
        expected.put("delay-level", new Expected(sending.plusSeconds(5), Tolerances.BROKER_LATENESS));
        send(broker, "ons-start-deliver-time",
            message -> message.property("__STARTDELIVERTIME", Long.toString(sent.plusSeconds(3).toEpochMilli())));
        expected.put("ons-start-deliver-time", new Expected(sent.plusSeconds(3), Tolerances.HANDLER_LATENESS));

        await().atMost(Duration.ofSeconds(30)).until(() -> handler.calls.keySet().containsAll(expected.keySet()));
        // Each once: the counts hold for a while.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
            .until(() -> handler.calls.values().stream().allMatch(calls -> calls.size() == 1));
        expected.forEach((kind, expectation) -> {
            Call call = handler.calls.get(kind).get(0);
            System.out.printf("Remoting %s: handled %d ms after it was due%n", kind,
                Duration.between(expectation.dueAt(), call.started()).toMillis());
            assertThat(call.started()).as("%s never early", kind).isAfterOrEqualTo(expectation.dueAt());
            assertThat(Duration.between(expectation.dueAt(), call.started())).as("%s lateness", kind)
                .isLessThan(expectation.tolerance());
            assertThat(call.context().attempt()).isZero();
            assertThat(call.context().producer()).isEqualTo("remote");
            assertThat(call.context().businessKey()).isEqualTo("key-" + kind);
        });
        // A TIMER_DELAY_SEC message is not delayed a second time by the timestamp the proxy gives it.
        assertThat(handler.calls.get("delay-sec").get(0).context().dueAt()).isBefore(sent.plusSeconds(5));
    }

    private static void send(EmbeddedRocketMQBroker broker, String kind,
            java.util.function.UnaryOperator<RemotingMessage> timer) {
        broker.sendWithRemotingClient(timer.apply(RemotingMessage.of("consumer_remoting",
            kind.getBytes(StandardCharsets.UTF_8)).keys("key-" + kind)));
    }

    record Expected(Instant dueAt, Duration tolerance) {
    }

    record Call(DeliveryContext context, Instant started) {
    }

    static class Handler {

        final Map<String, List<Call>> calls = new ConcurrentHashMap<>();

        @OnsListener(producer = "remote", group = "remoting-group")
        void handle(byte[] body, DeliveryContext context) {
            Instant started = Instant.now();
            calls.computeIfAbsent(new String(body, StandardCharsets.UTF_8), kind -> new CopyOnWriteArrayList<>())
                .add(new Call(context, started));
        }

    }

}
