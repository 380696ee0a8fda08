package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * 10,000 messages waiting (sent while the container is paused) for a handler slower than the broker: the container never holds more than its
 * cap of 1,000, receives again as room frees, and loses none.
 */
@SpringBootTest(classes = {TestApplication.class, MemoryCapIntegrationTests.Handler.class}, properties = {
    "mqs.ons.consumer.max-held-messages=1000",
    "mqs.ons.producers.flood.topic=consumer_cap"
})
@EmbeddedRocketMQ(topics = "consumer_cap")
class MemoryCapIntegrationTests {

    static final int MESSAGES = 10_000;

    @Autowired
    @Qualifier("flood")
    DelayProducer flood;

    @Autowired
    Handler handler;

    @Autowired
    OnsListenerRegistry registry;

    @Test
    void neverMoreThanTheCapIsHeldAndNoneIsLost() throws Exception {
        // Paused while sending, so all 10,000 wait in the broker whatever the speed of sends on this machine.
        OnsListenerContainer container = registry.getListenerContainer("flood-group");
        container.pause();
        Semaphore inFlight = new Semaphore(256);
        for (int i = 0; i < MESSAGES; i++) {
            inFlight.acquire();
            flood.sendAsync(DelayMessage.of("f-" + i).withKey("f-" + i)).whenComplete((result, ex) -> inFlight.release());
        }
        inFlight.acquire(256);
        // Handlers wait until the container has filled up to its cap, whatever the speed of this machine; had it
        // no cap, it would go on receiving far past it.
        container.resume();
        await().atMost(Duration.ofSeconds(60)).until(() -> container.getFigures().peakHeld() >= 900);
        handler.gate.countDown();

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
            .until(() -> handler.handled.size() == MESSAGES);
        ListenerFigures figures = container.getFigures();
        System.out.printf("Memory cap 1,000: %d handled, peak held %d, %d handler runs%n", handler.handled.size(),
            figures.peakHeld(), handler.runs.get());
        assertThat(figures.peakHeld()).as("most messages held or handled at once").isLessThanOrEqualTo(1_000)
            .isGreaterThan(500);
        assertThat(handler.handled).hasSize(MESSAGES);
    }

    static class Handler {

        final Set<String> handled = ConcurrentHashMap.newKeySet();

        final AtomicInteger runs = new AtomicInteger();

        final CountDownLatch gate = new CountDownLatch(1);

        @OnsListener(producer = "flood", group = "flood-group", concurrency = "4")
        void handle(String key) throws InterruptedException {
            runs.incrementAndGet();
            gate.await(90, TimeUnit.SECONDS);
            // Slower than the broker releases them, so a backlog builds in front of the handlers.
            Thread.sleep(1);
            handled.add(key);
        }

    }

}
