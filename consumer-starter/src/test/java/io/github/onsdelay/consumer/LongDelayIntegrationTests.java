package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.onsdelay.core.OnsMessageProperties;
import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.producer.SendResult;
import io.github.onsdelay.test.TestApplication;
import io.github.onsdelay.test.Tolerances;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.producer.Producer;
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

    @Autowired
    Producer rocketmq;

    @Autowired
    OnsListenerRegistry listeners;

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

    /**
     * ApsaraMQ for RocketMQ 5.x delivers a message whose delay is beyond its maximum at once (Apache refuses it);
     * so does any server told the wrong maximum. Such a message arrives long before it is due: the listener sends
     * it on as a hop and does not run the handler early.
     */
    @Test
    void aMessageTheServerDeliversLongBeforeItIsDueIsSentOnNotHandled() throws Exception {
        long now = System.currentTimeMillis();
        long due = now + Duration.ofHours(1).toMillis();
        long hopsBefore = listeners.getListenerContainer("coupon-closer").getFigures().hops();
        rocketmq.send(ClientServiceProvider.loadService().newMessageBuilder().setTopic("consumer_hop").setKeys("beyond")
            .setBody("\"template-beyond\"".getBytes(StandardCharsets.UTF_8)).setDeliveryTimestamp(now)
            .addProperty(OnsMessageProperties.ATTEMPT, "0").addProperty(OnsMessageProperties.DUE_AT, Long.toString(due))
            .addProperty(OnsMessageProperties.FIRST_SENT_AT, Long.toString(now))
            .addProperty(OnsMessageProperties.PRODUCER, "coupon-close")
            .addProperty(OnsMessageProperties.BUSINESS_KEY, "beyond").build());

        await().atMost(Duration.ofSeconds(10))
            .until(() -> listeners.getListenerContainer("coupon-closer").getFigures().hops() > hopsBefore);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
            .until(() -> handler.calls.stream().noneMatch(call -> call.businessKey().equals("beyond")));
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
