package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

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
 * The server killed with {@code kill -9} while timed messages are pending, and started again on its store: its
 * timer replays part of its log, so some messages are delivered twice, same message id, moments apart. Each is
 * handled once: the second copy joins the first while it is held.
 */
class BrokerCrashIntegrationTests {

    static final int MESSAGES = 300;

    @Test
    void aMessageTheCrashedServerDeliversTwiceIsHandledOnce(@TempDir Path store) throws Exception {
        int port = freePort();
        BrokerProcess broker = BrokerProcess.start(store, port, "consumer_crash");
        try (ConfigurableApplicationContext application = new SpringApplicationBuilder(TestApplication.class,
                Counting.class).web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
                .properties("mqs.ons.endpoints=127.0.0.1:" + port, "mqs.ons.timer-precision=100ms",
                    "mqs.ons.producers.crash.topic=consumer_crash", "mqs.ons.consumer.concurrency=50")
                .run()) {
            Counting counting = application.getBean(Counting.class);
            DelayProducer producer = application.getBean("crash", DelayProducer.class);
            // Due after the restart: pending in the timer wheel when the server dies.
            Instant due = Instant.now().plusSeconds(25);
            for (int i = 0; i < MESSAGES; i++) {
                producer.send(DelayMessage.of("c-" + i).withKey("c-" + i).withDeliverAt(due.plusMillis(10L * i)));
            }
            broker.kill();
            broker = BrokerProcess.start(store, port, "consumer_crash");

            await().atMost(Duration.ofSeconds(90)).until(() -> counting.runs.size() >= MESSAGES);
            // The replayed copies arrive within milliseconds of the first ones: watch a while longer.
            await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
            OnsListenerContainer container = application.getBean(OnsListenerRegistry.class)
                .getListenerContainer("crash-group");
            Map<String, Integer> perKey = new ConcurrentHashMap<>();
            counting.runs.forEach(run -> perKey.merge(run.key(), 1, Integer::sum));
            System.out.printf("Server killed with %d timed messages pending: %d handler runs for %d keys (%d keys run "
                + "twice or more), copies joined %d, received %d%n", MESSAGES, counting.runs.size(), perKey.size(),
                perKey.values().stream().filter(runs -> runs > 1).count(), container.getFigures().copiesJoined(),
                container.getFigures().received());
            counting.runs.stream().filter(run -> perKey.get(run.key()) > 1).limit(6).forEach(System.out::println);
            assertThat(perKey).hasSize(MESSAGES).allSatisfy((key, runs) -> assertThat(runs).as(key).isEqualTo(1));
            assertThat(counting.runs).allSatisfy(run -> assertThat(run.started()).isAfterOrEqualTo(run.dueAt()));
        }
        finally {
            broker.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    record Run(String key, String messageId, Instant dueAt, Instant started) {
    }

    static class Counting {

        final List<Run> runs = new CopyOnWriteArrayList<>();

        @OnsListener(producer = "crash", group = "crash-group")
        void handle(String key, DeliveryContext context) {
            runs.add(new Run(key, context.messageId(), context.dueAt(), Instant.now()));
        }

    }

}
