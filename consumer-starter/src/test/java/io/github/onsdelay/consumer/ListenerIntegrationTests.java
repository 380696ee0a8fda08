package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.onsdelay.core.OnsMessageProperties;
import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.test.TestApplication;
import io.github.onsdelay.test.Tolerances;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

/** Java listeners on the real embedded server, delays scaled to seconds. */
@SpringBootTest(classes = {TestApplication.class, ListenerIntegrationTests.Listeners.class}, properties = {
    "mqs.ons.producers.flaky.topic=consumer_it",
    "mqs.ons.producers.flaky.tag=flaky",
    "mqs.ons.producers.flaky.initial-delay=1s",
    "mqs.ons.producers.flaky.delays=1s, 2s, 2s",
    "mqs.ons.producers.broken.topic=consumer_it",
    "mqs.ons.producers.broken.tag=broken",
    "mqs.ons.producers.broken.delays=1s, 1s",
    "mqs.ons.producers.shared.topic=consumer_it",
    "mqs.ons.producers.shared.tag=shared",
    "mqs.ons.producers.shared.delays=1s, 1s",
    "mqs.ons.producers.poison.topic=consumer_it",
    "mqs.ons.producers.poison.tag=poison",
    "mqs.ons.producers.poison.delays=1s"
})
@EmbeddedRocketMQ(topics = "consumer_it")
class ListenerIntegrationTests {

    @Autowired
    @Qualifier("flaky")
    DelayProducer flaky;

    @Autowired
    @Qualifier("broken")
    DelayProducer broken;

    @Autowired
    @Qualifier("shared")
    DelayProducer shared;

    @Autowired
    Listeners listeners;

    @Autowired
    OnsListenerRegistry registry;

    @Autowired
    Producer rocketmq;

    @Test
    void handlerThatFailsTwiceThenSucceedsSeesAttemptsZeroOneTwoAtTheirDueTimes() {
        flaky.send(DelayMessage.of(new Order("f-1", 10)).withKey("f-1"));

        await().atMost(Duration.ofSeconds(30)).until(() -> listeners.flakySucceeded.contains("f-1"));
        List<Call> calls = listeners.flakyCalls.stream().filter(call -> call.key().equals("f-1")).toList();
        assertThat(calls).extracting(Call::attempt).containsExactly(0, 1, 2);
        for (Call call : calls) {
            assertThat(call.started()).as("attempt %d never early", call.attempt()).isAfterOrEqualTo(call.dueAt());
            assertThat(Duration.between(call.dueAt(), call.started())).as("attempt %d lateness", call.attempt())
                .isLessThan(Tolerances.HANDLER_LATENESS);
        }
        // Retry n+1 is due delays[n] after attempt n failed (due times are whole milliseconds).
        assertThat(Duration.between(calls.get(0).finished(), calls.get(1).dueAt()))
            .isBetween(Duration.ofMillis(999), Duration.ofSeconds(1).plus(Tolerances.HANDLER_LATENESS));
        assertThat(Duration.between(calls.get(1).finished(), calls.get(2).dueAt()))
            .isBetween(Duration.ofMillis(1_999), Duration.ofSeconds(2).plus(Tolerances.HANDLER_LATENESS));
        assertThat(calls).extracting(Call::remaining).containsExactly(3, 2, 1);
        assertThat(calls).extracting(Call::firstSentAt).containsOnly(calls.get(0).firstSentAt());
        System.out.printf("Retry lateness (ms): %s%n",
            calls.stream().map(call -> Duration.between(call.dueAt(), call.started()).toMillis()).toList());
    }

    @Test
    void handlerThatAlwaysFailsGetsDelaysPlusOneDeliveriesAndOneExhaustion() {
        broken.send(DelayMessage.of(new Order("b-1", 1)).withKey("b-1"));

        await().atMost(Duration.ofSeconds(30)).until(() -> listeners.brokenExhausted.containsKey("b-1"));
        // No stray duplicate shows up afterwards: the count holds for a while.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
            .until(() -> listeners.brokenExhausted.get("b-1").size() == 1
                && listeners.brokenCalls.stream().filter("b-1"::equals).count() == 3);
        Exhaustion exhaustion = listeners.brokenExhausted.get("b-1").get(0);
        assertThat(exhaustion.reason()).isEqualTo(Exhaustion.Reason.RETRIES_EXHAUSTED);
        assertThat(exhaustion.context().attempt()).isEqualTo(2);
        assertThat(exhaustion.lastError()).hasMessage("partner answered 503");
        assertThat(exhaustion.payload()).isEqualTo(new Order("b-1", 1));
        ListenerFigures figures = registry.getListenerContainer("broken-group").getFigures();
        assertThat(figures.retried()).isGreaterThanOrEqualTo(2);
        assertThat(figures.exhausted()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void otherGroupOnTheSameTopicReceivesExactlyOneCopyOfEachMessage() {
        for (int i = 0; i < 5; i++) {
            shared.send(DelayMessage.of(new Order("s-" + i, i)).withKey("s-" + i));
        }

        await().atMost(Duration.ofSeconds(30))
            .until(() -> listeners.sharedFailingCalls.stream().filter(key -> key.startsWith("s-")).count() == 15);
        // The retries of the failing group never reach the other: its count holds.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
            .until(() -> listeners.sharedOkCalls.size() == 5
                && listeners.sharedFailingCalls.stream().filter(key -> key.startsWith("s-")).count() == 15);
        assertThat(listeners.sharedOkCalls).containsExactlyInAnyOrder("s-0", "s-1", "s-2", "s-3", "s-4");
        assertThat(registry.getListenerContainer("shared-ok").getFigures().otherGroups()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void poisonGoesStraightToExhaustionWithItsReason() throws Exception {
        ClientServiceProvider provider = ClientServiceProvider.loadService();
        rocketmq.send(provider.newMessageBuilder().setTopic("consumer_it").setTag("poison").setKeys("p-1")
            .setBody("{\"id\": oops".getBytes(StandardCharsets.UTF_8))
            .setDeliveryTimestamp(System.currentTimeMillis())
            .addProperty(OnsMessageProperties.BUSINESS_KEY, "p-1")
            .addProperty(OnsMessageProperties.PRODUCER, "poison")
            .build());

        await().atMost(Duration.ofSeconds(20)).until(() -> listeners.poisonExhausted.containsKey("p-1"));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
            .until(() -> listeners.poisonExhausted.get("p-1").size() == 1);
        Exhaustion exhaustion = listeners.poisonExhausted.get("p-1").get(0);
        assertThat(exhaustion.reason()).isEqualTo(Exhaustion.Reason.POISON);
        assertThat(exhaustion.payload()).isNull();
        assertThat(new String(exhaustion.body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\": oops");
        assertThat(exhaustion.lastError()).hasMessageStartingWith("Body is not valid JSON for ");
        assertThat(listeners.poisonCalls).isEmpty();
    }

    record Order(String id, int amount) {
    }

    record Call(String key, int attempt, int remaining, Instant dueAt, Instant firstSentAt, Instant started,
            Instant finished) {
    }

    static class Listeners {

        final List<Call> flakyCalls = new CopyOnWriteArrayList<>();

        final List<String> flakySucceeded = new CopyOnWriteArrayList<>();

        final List<String> brokenCalls = new CopyOnWriteArrayList<>();

        final Map<String, List<Exhaustion>> brokenExhausted = new ConcurrentHashMap<>();

        final List<String> sharedOkCalls = new CopyOnWriteArrayList<>();

        final List<String> sharedFailingCalls = new CopyOnWriteArrayList<>();

        final List<String> poisonCalls = new CopyOnWriteArrayList<>();

        final Map<String, List<Exhaustion>> poisonExhausted = new ConcurrentHashMap<>();

        @OnsListener(producer = "flaky", group = "flaky-group")
        void flaky(Order order, DeliveryContext context) {
            Instant started = Instant.now();
            try {
                if (context.attempt() < 2) {
                    throw new IllegalStateException("partner down on attempt " + context.attempt());
                }
                flakySucceeded.add(context.businessKey());
            }
            finally {
                flakyCalls.add(new Call(context.businessKey(), context.attempt(), context.remainingRetries(),
                    context.dueAt(), context.firstSentAt(), started, Instant.now()));
            }
        }

        @OnsListener(producer = "broken", group = "${test.broken-group:broken-group}")
        boolean broken(DeliveryContext context, Order order) {
            brokenCalls.add(order.id());
            throw new IllegalStateException("partner answered 503");
        }

        @OnsExhausted(groups = "broken-group")
        void brokenExhausted(Exhaustion exhaustion) {
            brokenExhausted.computeIfAbsent(exhaustion.context().businessKey(), key -> new CopyOnWriteArrayList<>())
                .add(exhaustion);
        }

        @OnsListener(producer = "shared", group = "shared-ok")
        void sharedOk(Order order) {
            sharedOkCalls.add(order.id());
        }

        @OnsListener(producer = "shared", group = "shared-failing")
        boolean sharedFailing(Order order) {
            sharedFailingCalls.add(order.id());
            return false;
        }

        @OnsListener(producer = "poison", group = "poison-group")
        void poison(Order order) {
            poisonCalls.add(order.id());
        }

        @OnsExhausted(groups = "poison-group")
        void poisonExhausted(Exhaustion exhaustion) {
            poisonExhausted.computeIfAbsent(exhaustion.context().businessKey(), key -> new CopyOnWriteArrayList<>())
                .add(exhaustion);
        }

    }

}
