package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Handlers that run longer than a message's invisible duration, in two instances of one group: each message's
 * lease is renewed while its handler runs, so no attempt runs twice, and the acknowledgement after a renewal
 * takes, so no handled message comes back. Against the embedded server's LOCAL-mode proxy, whose renewed receipt
 * handles name the wrong checkpoint unless ons-delay mends them.
 */
@EmbeddedRocketMQ(topics = "consumer_slow")
class SlowHandlerIntegrationTests {

    static final int MESSAGES = 30;

    /** Longer than the 10 s invisible duration: at least two renewals (at 5 s and 10 s) while it runs. */
    static final Duration WORK = Duration.ofSeconds(13);

    private static ConfigurableApplicationContext instance(EmbeddedRocketMQBroker broker) {
        return new SpringApplicationBuilder(TestApplication.class, Slow.class).web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .properties("mqs.ons.endpoints=" + broker.endpoints(), "mqs.ons.timer-precision=100ms",
                "mqs.ons.producers.slow.topic=consumer_slow", "mqs.ons.producers.slow.delays=1s",
                "mqs.ons.consumer.concurrency=" + MESSAGES)
            .run();
    }

    @Test
    void aSlowHandlerRunsOncePerAttemptAcrossTwoInstancesAndAHandledMessageDoesNotComeBack(
            EmbeddedRocketMQBroker broker) {
        try (ConfigurableApplicationContext first = instance(broker);
                ConfigurableApplicationContext second = instance(broker)) {
            DelayProducer producer = first.getBean("slow", DelayProducer.class);
            // All due at one instant, so that the timer releases them together and each receive takes several from
            // one queue: every message but the first of a receive is one whose renewed handle needs mending.
            Instant due = Instant.now().plusSeconds(3);
            for (int i = 0; i < MESSAGES; i++) {
                // Every third one fails its first attempt after the long run: its retry is sent, then it is acknowledged.
                String key = (i % 3 == 0 ? "fail-" : "ok-") + i;
                producer.send(DelayMessage.of(key).withKey(key).withDeliverAt(due));
            }
            Slow one = first.getBean(Slow.class);
            Slow other = second.getBean(Slow.class);
            int attempts = MESSAGES + MESSAGES / 3;
            await().atMost(Duration.ofSeconds(90)).until(() -> one.ended.size() + other.ended.size() >= attempts);
            // A lease whose renewal or acknowledgement did not take comes back within its 10 s invisibility and the
            // broker's revive delay: watch past that.
            await().during(Duration.ofSeconds(16)).atMost(Duration.ofSeconds(20))
                .until(() -> one.started.size() + other.started.size() == attempts);

            Map<String, Integer> starts = new ConcurrentHashMap<>();
            one.started.forEach(start -> starts.merge(start, 1, Integer::sum));
            other.started.forEach(start -> starts.merge(start, 1, Integer::sum));
            assertThat(starts).hasSize(attempts).allSatisfy((attempt, count) -> assertThat(count).as(attempt).isEqualTo(1));
            System.out.printf("Slow handlers of %d s: %d attempts started once each (%d and %d per instance); "
                + "copies joined %d, renewal failures %d%n", WORK.toSeconds(), attempts, one.started.size(),
                other.started.size(), copiesJoined(first) + copiesJoined(second),
                renewalFailures(first) + renewalFailures(second));
            assertThat(renewalFailures(first) + renewalFailures(second)).isZero();
            // No copy came back at all, to either instance: every renewal and acknowledgement took.
            assertThat(copiesJoined(first) + copiesJoined(second)).as("copies delivered again").isZero();
        }
    }

    private static long copiesJoined(ConfigurableApplicationContext context) {
        return context.getBean(OnsListenerRegistry.class).getListenerContainer("slow-group").getFigures().copiesJoined();
    }

    private static long renewalFailures(ConfigurableApplicationContext context) {
        return context.getBean(OnsListenerRegistry.class).getListenerContainer("slow-group").getFigures()
            .renewalFailures();
    }

    static class Slow {

        final List<String> started = new CopyOnWriteArrayList<>();

        final List<String> ended = new CopyOnWriteArrayList<>();

        private final CountDownLatch never = new CountDownLatch(1);

        @OnsListener(producer = "slow", group = "slow-group")
        boolean handle(String key, DeliveryContext context) throws InterruptedException {
            String attempt = key + "#" + context.attempt();
            started.add(attempt);
            // The slow partner call: nothing ends this wait early.
            never.await(WORK.toMillis(), TimeUnit.MILLISECONDS);
            ended.add(attempt);
            return !(key.startsWith("fail-") && context.attempt() == 0);
        }

    }

}
