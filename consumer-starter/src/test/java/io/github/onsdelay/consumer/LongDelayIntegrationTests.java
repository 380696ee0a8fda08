package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.producer.SendResult;
import io.github.onsdelay.test.TestApplication;
import io.github.onsdelay.test.Tolerances;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

/** A proxy that accepts at most 3 s of delay: a 7 s delay travels in hops the handler never sees. */
@SpringBootTest(classes = {TestApplication.class, LongDelayIntegrationTests.Handler.class}, properties = {
    "mqs.ons.producers.coupon-close.topic=consumer_hop",
    "mqs.ons.producers.coupon-close.initial-delay=7s"
})
@EmbeddedRocketMQ(topics = "consumer_hop", maxDelay = "3s")
class LongDelayIntegrationTests {

    @Autowired
    @Qualifier("coupon-close")
    DelayProducer couponClose;

    @Autowired
    Handler handler;

    @Test
    void delayLongerThanMaxDelayRunsTheHandlerOnceAtTheFullDelay() {
        SendResult sent = couponClose.send("template-1");
        assertThat(sent.isHop()).isTrue();

        await().atMost(Duration.ofSeconds(25)).until(() -> !handler.calls.isEmpty());
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> handler.calls.size() == 1);
        DeliveryContext context = handler.calls.get(0);
        Instant started = handler.started.get(0);
        assertThat(context.dueAt()).isEqualTo(sent.dueAt());
        assertThat(started).isAfterOrEqualTo(sent.dueAt()).isBefore(sent.dueAt().plus(Tolerances.HANDLER_LATENESS));
        assertThat(context.attempt()).isZero();
    }

    static class Handler {

        final List<DeliveryContext> calls = new CopyOnWriteArrayList<>();

        final List<Instant> started = new CopyOnWriteArrayList<>();

        @OnsListener(producer = "coupon-close", group = "coupon-closer")
        void close(String templateId, DeliveryContext context) {
            started.add(Instant.now());
            calls.add(context);
        }

    }


}
