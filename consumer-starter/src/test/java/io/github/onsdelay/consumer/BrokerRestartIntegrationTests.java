package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.embedded.TopicMessageType;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.producer.SendResult;
import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A server of its own, stopped gracefully while every message has a retry pending, kept down until all the
 * retries fell due, and started again: none is lost, and all are handled promptly once it is back. The
 * application's health follows the outage: DOWN while the server is down, UP again once it is back.
 */
class BrokerRestartIntegrationTests {

    static final int MESSAGES = 200;

    /**
     * How far ahead the retries are due when sent: all are sent, and the server stopped, well before the first
     * (10 s was not enough once: sending 200 and stopping the server took over 9 s with the whole build running).
     */
    static final Duration DUE_IN = Duration.ofSeconds(20);

    /**
     * The bound this test proves, from the server back until every retry that fell due meanwhile was handled:
     * measured 2.4 s to the first and 3.8 s to the last at a load average of 17 on 2 cores (the whole suite running).
     */
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(8);

    @Test
    void retriesThatFellDueDuringAnOutageAreHandledPromptlyOnceTheServerIsBack(@TempDir Path store) {
        try (EmbeddedRocketMQBroker broker = EmbeddedRocketMQBroker.builder().storeDir(store).timerFlushInterval(Duration.ofMinutes(1))
                .topic("consumer_restart", TopicMessageType.DELAY).build().start();
                ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class, Handler.class)
                    .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
                    .properties("mqs.ons.endpoints=" + broker.endpoints(), "mqs.ons.timer-precision=100ms",
                        "mqs.ons.producers.restart.topic=consumer_restart", "mqs.ons.producers.restart.delays=1s")
                    .run()) {
            Handler handler = context.getBean(Handler.class);
            DelayProducer producer = context.getBean("restart", DelayProducer.class);
            HealthIndicator client = context.getBean("onsDelayClientHealthIndicator", HealthIndicator.class);
            HealthIndicator listener = (HealthIndicator) context.getBean("onsDelayListenersHealthContributor",
                CompositeHealthContributor.class).getContributor("restart-group");
            assertThat(client.health().getStatus()).isEqualTo(Status.UP);
            Warmup.send(producer);
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.health().getStatus().equals(Status.UP));
            // Retries (attempt 1) as a failed attempt sends them, all due within a second, still in the broker's timer.
            Instant firstDue = Instant.now().plus(DUE_IN);
            List<CompletableFuture<SendResult>> sends = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                sends.add(producer.sendAsync(DelayMessage.of("r-" + i).withKey("r-" + i).withAttempt(1)
                    .withDeliverAt(firstDue.plusMillis(5L * i))));
            }
            sends.forEach(CompletableFuture::join);
            Instant lastDue = firstDue.plusMillis(5L * MESSAGES);

            broker.stop();
            long stopped = System.nanoTime();
            Health down = client.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails().get("endpoints").toString()).contains(broker.endpoints(), "unreachable");
            await().atMost(Duration.ofSeconds(15)).until(() -> listener.health().getStatus().equals(Status.DOWN));
            assertThat(listener.health().getDetails()).containsEntry("state", "FAILING");
            long listenerDown = System.nanoTime();
            // The premise: the listener received none of them before the stop (it takes a message a lead early).
            assertThat(handler.succeeded).as("none handled before the server stopped").isEmpty();
            assertThat(Instant.now()).as("stopped before the first was released (a lead before due)")
                .isBefore(firstDue.minusSeconds(1));
            // Down until every retry is due, and a little more: the broker's timer must release them all at once.
            await().atMost(DUE_IN.plusSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Instant.now().isAfter(lastDue.plusSeconds(2)));
            assertThat(handler.succeeded).as("nothing handled while the server was down").isEmpty();
            broker.start();
            Instant back = Instant.now();
            long started = System.nanoTime();
            assertThat(client.health().getStatus()).as("client health once the server is back").isEqualTo(Status.UP);

            await().atMost(RECOVERY_BOUND.plusSeconds(60)).pollInterval(Duration.ofMillis(50))
                .alias("retries handled after the restart").until(() -> handler.succeeded.size() == MESSAGES);
            Instant last = handler.succeeded.values().stream().max(Instant::compareTo).orElseThrow();
            Duration recovery = Duration.between(back, last);
            System.out.printf("Broker outage: all %d retries that fell due while it was down handled %d ms after the "
                + "server was back (first after %d ms)%n", MESSAGES, recovery.toMillis(),
                Duration.between(back, handler.succeeded.values().stream().min(Instant::compareTo).orElseThrow())
                    .toMillis());
            assertThat(recovery).as("time from the server back until all were handled").isLessThan(RECOVERY_BOUND);
            await().atMost(Duration.ofSeconds(60)).until(() -> listener.health().getStatus().equals(Status.UP));
            System.out.printf("Health: listener DOWN %d ms after the server stopped, UP %d ms after it was back%n",
                Duration.ofNanos(listenerDown - stopped).toMillis(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
            assertThat(listener.health().getDetails()).containsEntry("state", "RUNNING");
        }
    }

    static class Handler {

        final Map<String, Instant> succeeded = new ConcurrentHashMap<>();

        @OnsListener(producer = "restart", group = "restart-group")
        void handle(String key) {
            if (!key.equals(Warmup.KEY)) {
                succeeded.putIfAbsent(key, Instant.now());
            }
        }

    }

}
