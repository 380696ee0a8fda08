package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Large bodies against {@code max-held-size}: 40 bodies of 1 MB wait in the broker for a listener that may hold 8 MB.
 * Four receives of up to 32 messages each could bring 40 MB at once; the container asks for what fits and gives
 * back what does not, so it never holds more than the cap and one body, and loses none.
 */
@SpringBootTest(classes = {TestApplication.class, ByteCapIntegrationTests.Handler.class}, properties = {
    "mqs.ons.consumer.max-held-size=8MB",
    "mqs.ons.producers.large.topic=consumer_bytes"
})
@EmbeddedRocketMQ(topics = "consumer_bytes")
class ByteCapIntegrationTests {

    static final int MESSAGES = 40;

    static final int BODY = 1024 * 1024;

    static final long CAP = 8L * 1024 * 1024;

    @Autowired
    @Qualifier("large")
    DelayProducer producer;

    @Autowired
    Handler handler;

    @Autowired
    OnsListenerRegistry registry;

    @Test
    void neverMoreBodyBytesThanTheCapAndOneBodyAreHeldAndNoneIsLost() {
        OnsListenerContainer container = registry.getListenerContainer("large-group");
        // Paused while sending, so that all of them wait in the broker at once.
        container.pause();
        String body = "x".repeat(BODY - 2);
        for (int i = 0; i < MESSAGES; i++) {
            producer.send(DelayMessage.of(i + body.substring(String.valueOf(i).length())).withKey("big-" + i));
        }
        container.resume();
        // Handlers wait until the container has filled up to its cap; had it no byte cap, it would go far past it.
        await().atMost(Duration.ofSeconds(30)).until(() -> container.getFigures().peakHeldBytes() >= CAP - 2L * BODY);
        handler.release.countDown();

        await().atMost(Duration.ofSeconds(60)).until(() -> handler.handled.size() == MESSAGES);
        ListenerFigures figures = container.getFigures();
        System.out.printf("Byte cap of %d MB, %d bodies of 1 MB: peak held %d bytes (%.1f MB), given back over the cap "
            + "%d%n", CAP >> 20, MESSAGES, figures.peakHeldBytes(), figures.peakHeldBytes() / 1048576.0,
            figures.givenBack());
        assertThat(figures.peakHeldBytes()).isLessThanOrEqualTo(CAP + BODY);
        assertThat(handler.handled).hasSize(MESSAGES);
    }

    static class Handler {

        final CountDownLatch release = new CountDownLatch(1);

        final Set<Integer> handled = ConcurrentHashMap.newKeySet();

        @OnsListener(producer = "large", group = "large-group", concurrency = "2")
        void handle(String body) throws InterruptedException {
            release.await(30, TimeUnit.SECONDS);
            handled.add(Integer.parseInt(body.substring(0, body.indexOf('x'))));
        }

    }

}
