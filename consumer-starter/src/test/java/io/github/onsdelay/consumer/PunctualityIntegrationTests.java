package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.producer.SendResult;
import io.github.onsdelay.test.TestApplication;
import io.github.onsdelay.test.Tolerances;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * One handler thread, 200 messages due at staggered times inside the producer's lead, sent latest first so
 * that they arrive together in the reverse of their due order: every handler still starts on time, which a
 * container that waited for a message on its handler thread could not do (it would sit on the last-due
 * message while the others fell late).
 */
@SpringBootTest(classes = {TestApplication.class, PunctualityIntegrationTests.Handler.class}, properties = {
    "mqs.ons.producers.punctual.topic=consumer_punctual",
    "mqs.ons.producers.punctual.delivery-lead=5s"
})
@EmbeddedRocketMQ(topics = "consumer_punctual")
class PunctualityIntegrationTests {

    static final int MESSAGES = 200;

    @Autowired
    @Qualifier("punctual")
    DelayProducer punctual;

    @Autowired
    Handler handler;

    @Autowired
    OnsListenerRegistry registry;

    @Test
    void withOneHandlerThreadEveryMessageHeldInsideTheLeadStartsOnTime() {
        // The route is fetched at the first send: do it before timing anything.
        punctual.send(DelayMessage.of("warm-up").withKey("warm-up"));
        await().atMost(Duration.ofSeconds(10)).until(() -> handler.calls.size() == 1);
        handler.calls.clear();
        Instant base = Instant.now().plusMillis(2_000);
        List<CompletableFuture<SendResult>> sends = new ArrayList<>();
        for (int i = MESSAGES - 1; i >= 0; i--) {
            // Due every 10 ms over 2 s, all within the 5 s lead: the broker releases them at once.
            sends.add(punctual.sendAsync(DelayMessage.of("p-" + i).withKey("p-" + i).withDeliverAt(base.plusMillis(10L * i))));
        }
        sends.forEach(CompletableFuture::join);
        assertThat(Instant.now()).as("all sent before the first was due").isBefore(base);

        await().atMost(Duration.ofSeconds(30)).until(() -> handler.calls.size() >= MESSAGES);
        List<Long> lateness = new ArrayList<>();
        for (Call call : handler.calls) {
            assertThat(call.started()).as("%s never early", call.key()).isAfterOrEqualTo(call.dueAt());
            lateness.add(Duration.between(call.dueAt(), call.started()).toMillis());
        }
        lateness.sort(null);
        System.out.printf("Punctuality, 1 handler thread, %d messages held inside the lead: p50 %d ms, p99 %d ms, "
            + "max %d ms%n", MESSAGES, lateness.get(MESSAGES / 2), lateness.get(MESSAGES * 99 / 100 - 1),
            lateness.get(MESSAGES - 1));
        assertThat(lateness.get(MESSAGES - 1)).as("latest handler start (ms)")
            .isLessThan(Tolerances.HANDLER_LATENESS.toMillis());
        assertThat(handler.calls).hasSize(MESSAGES);
        assertThat(registry.getListenerContainer("punctual-group").getFigures().heldEarly()).isGreaterThanOrEqualTo(MESSAGES);
    }

    record Call(String key, Instant dueAt, Instant started) {
    }

    static class Handler {

        final List<Call> calls = new CopyOnWriteArrayList<>();

        @OnsListener(producer = "punctual", group = "punctual-group", concurrency = "1")
        void handle(String key, DeliveryContext context) {
            calls.add(new Call(key, context.dueAt(), Instant.now()));
        }

    }

}
