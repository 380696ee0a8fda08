package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.embedded.TopicMessageType;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A server of its own, stopped gracefully while every message has a retry pending, kept down until all the
 * retries fell due, and started again: none is lost, and all are handled promptly once it is back.
 */
class BrokerRestartIntegrationTests {

    static final int MESSAGES = 200;

    /**
     * The retry delay: long enough that no retry reaches the listener before the server stops, even when the 200
     * first attempts spread over several seconds on a loaded machine (the listener takes a message a delivery lead
     * ahead of its due time and holds it, so a retry due too soon would be handled from the listener's hands).
     */
    static final Duration RETRY_DELAY = Duration.ofSeconds(15);

    /** The bound this test proves, from the server back until every retry that fell due meanwhile was handled. */
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(3);

    @Test
    void retriesThatFellDueDuringAnOutageAreHandledPromptlyOnceTheServerIsBack(@TempDir Path store) {
        try (EmbeddedRocketMQBroker broker = EmbeddedRocketMQBroker.builder().storeDir(store)
                .topic("consumer_restart", TopicMessageType.DELAY).build().start();
                ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class, Handler.class)
                    .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
                    .properties("mqs.ons.endpoints=" + broker.endpoints(), "mqs.ons.timer-precision=100ms",
                        "mqs.ons.producers.restart.topic=consumer_restart",
                        "mqs.ons.producers.restart.delays=" + RETRY_DELAY.toSeconds() + "s")
                    .run()) {
            Handler handler = context.getBean(Handler.class);
            DelayProducer producer = context.getBean("restart", DelayProducer.class);
            for (int i = 0; i < MESSAGES; i++) {
                producer.send(DelayMessage.of("r-" + i).withKey("r-" + i));
            }
            // Every first attempt failed and its retry (due 15 s later, so still in the broker's timer) was accepted.
            await().atMost(Duration.ofSeconds(30)).until(() -> handler.failedFirst.size() == MESSAGES);
            Instant lastDue = handler.failedFirst.values().stream().max(Instant::compareTo).orElseThrow()
                .plus(RETRY_DELAY);

            broker.stop();
            // Down until every retry is due, and a little more: the broker's timer must release them all at once.
            await().atMost(RETRY_DELAY.plusSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Instant.now().isAfter(lastDue.plusSeconds(2)));
            assertThat(handler.succeeded).as("nothing handled while the server was down").isEmpty();
            broker.start();
            Instant back = Instant.now();

            await().atMost(RECOVERY_BOUND.plusSeconds(60)).pollInterval(Duration.ofMillis(50))
                .alias("retries handled after the restart").until(() -> handler.succeeded.size() == MESSAGES);
            Instant last = handler.succeeded.values().stream().max(Instant::compareTo).orElseThrow();
            Duration recovery = Duration.between(back, last);
            System.out.printf("Broker outage: all %d retries that fell due while it was down handled %d ms after the "
                + "server was back (first after %d ms)%n", MESSAGES, recovery.toMillis(),
                Duration.between(back, handler.succeeded.values().stream().min(Instant::compareTo).orElseThrow())
                    .toMillis());
            assertThat(recovery).as("time from the server back until all were handled").isLessThan(RECOVERY_BOUND);
        }
    }

    static class Handler {

        final Map<String, Instant> failedFirst = new ConcurrentHashMap<>();

        final Map<String, Instant> succeeded = new ConcurrentHashMap<>();

        @OnsListener(producer = "restart", group = "restart-group")
        boolean handle(String key, DeliveryContext context) {
            if (context.attempt() == 0) {
                failedFirst.putIfAbsent(key, Instant.now());
                return false;
            }
            succeeded.putIfAbsent(key, Instant.now());
            return true;
        }

    }

}
