package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A known burst with README's settings for one: 20,000 messages due at one instant, all held by the container
 * ahead of it, so that their handlers all end within a second or two and their acknowledgements all come at once.
 * Every acknowledgement must take: one that times out in the client (as most of them did when each finished
 * handler opened its ack call at once) leaves its message to be delivered again once its invisibility ends, a
 * duplicate a minute later. The client's request timeout is 1 s here (3 s by default), which brings that failure
 * within a burst of 20,000 instead of 100,000: with every call opened at once, 12,458 of 20,000 failed.
 * <p>
 * Runs are counted per message id, which a redelivery keeps: with a 1 s request timeout and the other test JVM
 * busy, a send's attempt can time out in the client after the broker stored it, and the producer's next attempt
 * stores a second message of the same body under a new id (204 of 20,000 in one build). That is the send's
 * at-least-once, not an acknowledgement that failed, and the handler rightly runs once per message.
 */
@SpringBootTest(classes = {TestApplication.class, BurstAcknowledgementIntegrationTests.Handler.class}, properties = {
    "mqs.ons.producers.burst.topic=consumer_burst",
    "mqs.ons.producers.burst.delivery-lead=30s",
    "mqs.ons.consumer.max-held-messages=25000",
    "mqs.ons.consumer.max-held-size=64MB",
    "mqs.ons.consumer.invisible-duration=60s",
    "mqs.ons.request-timeout=1s"
})
@EmbeddedRocketMQ(topics = "consumer_burst")
class BurstAcknowledgementIntegrationTests {

    static final int MESSAGES = 20_000;

    /** Time to send and receive them all before their instant, with the other test JVM busy beside this one. */
    static final Duration AHEAD = Duration.ofSeconds(25);

    @Autowired
    @Qualifier("burst")
    DelayProducer burst;

    @Autowired
    Handler handler;

    @Autowired
    OnsListenerRegistry registry;

    @Test
    void everyAcknowledgementOfABurstDueAtOneInstantTakes() throws Exception {
        Warmup.send(burst);
        await().atMost(Duration.ofSeconds(30)).until(() -> handler.keys.contains(Warmup.KEY));
        OnsListenerContainer container = registry.getListenerContainer("burst-group");
        Instant instant = Instant.now().plus(AHEAD);
        Semaphore inFlight = new Semaphore(256);
        for (int i = 0; i < MESSAGES; i++) {
            inFlight.acquire();
            burst.sendAsync(DelayMessage.of("b-" + i).withKey("b-" + i).withDeliverAt(instant))
                .whenComplete((result, ex) -> inFlight.release());
        }
        inFlight.acquire(256);
        await().atMost(AHEAD).until(() -> container.getFigures().held() >= MESSAGES);
        assertThat(Instant.now()).as("all %d held before their instant", MESSAGES).isBefore(instant);

        // Every body was stored at least once; some twice (see above), each copy its own message.
        await().atMost(Duration.ofSeconds(60)).until(() -> handler.keys.size() == MESSAGES + 1);
        // A message's room frees once its acknowledgement ended, taken or failed.
        await().atMost(Duration.ofSeconds(60))
            .until(() -> container.getFigures().held() == 0 && container.getFigures().inFlight() == 0);
        ListenerFigures figures = container.getFigures();
        System.out.printf("Burst of %d due at one instant: last handler %d ms after it, acknowledgements failed %d, "
            + "peak held %d, bodies stored twice by the send %d%n", MESSAGES,
            Duration.between(instant, handler.last.get()).toMillis(), figures.settlementFailures(), figures.peakHeld(),
            handler.runs.size() - handler.keys.size());
        assertThat(figures.settlementFailures()).as("acknowledgements and give-backs that failed").isZero();
        assertThat(handler.runs.values()).allSatisfy(runs -> assertThat(runs.get()).isOne());
        assertThat(figures.succeeded()).isEqualTo(handler.runs.size());
    }

    static class Handler {

        /** Handler runs by message id. */
        final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

        final Set<String> keys = ConcurrentHashMap.newKeySet();

        final AtomicReference<Instant> last = new AtomicReference<>(Instant.EPOCH);

        @OnsListener(producer = "burst", group = "burst-group")
        void handle(String key, DeliveryContext context) {
            keys.add(key);
            runs.computeIfAbsent(context.messageId(), k -> new AtomicInteger()).incrementAndGet();
            last.accumulateAndGet(Instant.now(), (a, b) -> a.isAfter(b) ? a : b);
        }

    }

}
