package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * 10,000 messages (override with -Dons.reliability.messages=N) whose handler fails 30% of the time, with
 * delays 1s, 1s, 1s: every message must end as a success or an exhaustion, and the ones that end as
 * exhaustion are exactly those whose four attempts all failed. The failures are a fixed function of key
 * and attempt, so a duplicate delivery fails or succeeds like the original.
 */
@SpringBootTest(classes = {TestApplication.class, FaultLoadIntegrationTests.Handler.class}, properties = {
    "mqs.ons.producers.faulty.topic=consumer_load",
    "mqs.ons.producers.faulty.delays=1s, 1s, 1s"
})
@EmbeddedRocketMQ(topics = "consumer_load")
class FaultLoadIntegrationTests {

    static final int MESSAGES = Integer.getInteger("ons.reliability.messages", 10_000);

    @Autowired
    @Qualifier("faulty")
    DelayProducer faulty;

    @Autowired
    Handler handler;

    static boolean fails(String key, int attempt) {
        return new SplittableRandom(key.hashCode() * 31L + attempt).nextInt(100) < 30;
    }

    @Test
    void everyMessageEndsAsSuccessOrExhaustionAndNoneIsLost() throws Exception {
        Set<String> expectedExhausted = new HashSet<>();
        Semaphore inFlight = new Semaphore(256);
        long began = System.nanoTime();
        for (int i = 0; i < MESSAGES; i++) {
            String key = "k-" + i;
            if (fails(key, 0) && fails(key, 1) && fails(key, 2) && fails(key, 3)) {
                expectedExhausted.add(key);
            }
            inFlight.acquire();
            faulty.sendAsync(DelayMessage.of(key).withKey(key)).whenComplete((result, ex) -> inFlight.release());
        }
        inFlight.acquire(256);

        await().atMost(Duration.ofSeconds(60 + MESSAGES / 100)).pollInterval(Duration.ofMillis(500))
            .until(() -> terminalKeys() >= MESSAGES);
        // Nothing ends twice afterwards: the counts hold for a while.
        long deliveries = handler.deliveries.values().stream().mapToLong(AtomicInteger::get).sum();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> terminalKeys() == MESSAGES
            && handler.deliveries.values().stream().mapToLong(AtomicInteger::get).sum() == deliveries);

        long duplicates = handler.deliveries.values().stream().mapToLong(count -> count.get() - 1).sum();
        long multiTerminal = handler.terminal.values().stream().filter(count -> count.get() > 1).count();
        System.out.printf("Fault load: %d messages in %d s; %d succeeded, %d exhausted (expected %d), %d deliveries, "
            + "%d duplicate deliveries, %d messages ended more than once%n", MESSAGES,
            Duration.ofNanos(System.nanoTime() - began).toSeconds(), handler.succeeded.size(), handler.exhausted.size(),
            expectedExhausted.size(), handler.deliveries.values().stream().mapToLong(AtomicInteger::get).sum(),
            duplicates, multiTerminal);
        assertThat(terminalKeys()).as("messages that reached an end").isEqualTo(MESSAGES);
        assertThat(handler.exhausted).isEqualTo(expectedExhausted);
        assertThat(handler.succeeded).hasSize(MESSAGES - expectedExhausted.size()).doesNotContainAnyElementsOf(expectedExhausted);
        assertThat(multiTerminal).as("messages that ended more than once").isLessThanOrEqualTo(duplicates);
    }

    private long terminalKeys() {
        return handler.terminal.size();
    }

    static class Handler {

        final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();

        final Map<String, AtomicInteger> terminal = new ConcurrentHashMap<>();

        final Set<String> succeeded = ConcurrentHashMap.newKeySet();

        final Set<String> exhausted = ConcurrentHashMap.newKeySet();

        @OnsListener(producer = "faulty", group = "load-group")
        boolean handle(String key, DeliveryContext context) {
            deliveries.computeIfAbsent(key + "#" + context.attempt(), k -> new AtomicInteger()).incrementAndGet();
            if (fails(key, context.attempt())) {
                return false;
            }
            succeeded.add(key);
            terminal.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            return true;
        }

        @OnsExhausted
        void exhausted(Exhaustion exhaustion) {
            String key = (String) exhaustion.payload();
            exhausted.add(key);
            terminal.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        }

    }


}
