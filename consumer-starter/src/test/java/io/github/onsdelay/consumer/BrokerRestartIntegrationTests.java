package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
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

/** A server of its own, stopped gracefully and started again while every message has a retry pending. */
class BrokerRestartIntegrationTests {

    static final int MESSAGES = 100;

    @Test
    void retriesPendingAcrossABrokerRestartAreNotLost(@TempDir Path store) {
        try (EmbeddedRocketMQBroker broker = EmbeddedRocketMQBroker.builder().storeDir(store)
                .topic("consumer_restart", TopicMessageType.DELAY).build().start();
                ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class, Handler.class)
                    .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
                    .properties("mqs.ons.endpoints=" + broker.endpoints(),
                        "mqs.ons.producers.restart.topic=consumer_restart",
                        "mqs.ons.producers.restart.delays=5s")
                    .run()) {
            Handler handler = context.getBean(Handler.class);
            DelayProducer producer = context.getBean("restart", DelayProducer.class);
            for (int i = 0; i < MESSAGES; i++) {
                producer.send(DelayMessage.of("r-" + i).withKey("r-" + i));
            }
            // Every first attempt failed and its retry (due 5 s later) was accepted by the broker.
            await().atMost(Duration.ofSeconds(30)).until(() -> handler.failedFirst.size() == MESSAGES);

            broker.restart();

            long restarted = System.nanoTime();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .alias("retries delivered after the restart").until(() -> handler.succeeded.size() == MESSAGES);
            System.out.printf("Broker restart: all retries delivered %d s after the server was back%n",
                Duration.ofNanos(System.nanoTime() - restarted).toSeconds());
            assertThat(handler.succeeded).hasSize(MESSAGES);
        }
    }

    static class Handler {

        final Set<String> failedFirst = ConcurrentHashMap.newKeySet();

        final Set<String> succeeded = ConcurrentHashMap.newKeySet();

        @OnsListener(producer = "restart", group = "restart-group")
        boolean handle(String key, DeliveryContext context) {
            if (context.attempt() == 0) {
                failedFirst.add(key);
                return false;
            }
            succeeded.add(key);
            return true;
        }

    }


}
