package io.github.onsdelay.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.github.onsdelay.consumer.DeliveryContext;
import io.github.onsdelay.consumer.OnsListener;
import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code ons-delay-jdbc} in a producer-only application, on PostgreSQL: a JVM started without the consumer
 * starter on its class path ({@link ProducerOnlyProcess}) starts, sends through the outbox and cancels; a
 * listener application here handles what it sent and never the cancelled message.
 */
@EmbeddedRocketMQ(topics = "solo_pushes", maxDelay = JournalContractTests.SERVER_MAX_DELAY)
class ProducerOnlyIntegrationTests {

    @Test
    void aProducerOnlyApplicationSendsThroughTheOutboxAndCancelsWithoutTheConsumerStarter(
            EmbeddedRocketMQBroker broker, @TempDir Path dir) throws Exception {
        String url = TestDatabases.postgres().url();
        String delivered = "solo-" + UUID.randomUUID().toString().substring(0, 8);
        String cancelled = delivered + "-cancelled";
        List<String> all = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        List<String> withoutConsumer = all.stream().filter(entry -> !isConsumerStarter(entry)).toList();
        assertThat(withoutConsumer).as("the consumer starter taken off the class path").hasSizeLessThan(all.size());

        try (ConfigurableApplicationContext listening = listener(broker, url)) {
            Pushes pushes = listening.getBean(Pushes.class);
            Process producer = new ProcessBuilder(javaBin(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                    String.join(File.pathSeparator, withoutConsumer), ProducerOnlyProcess.class.getName(),
                    broker.endpoints(), broker.timerPrecision().toMillis() + "ms", url, dir.toString(), delivered,
                    cancelled)
                .redirectErrorStream(true).redirectOutput(dir.resolve("producer.log").toFile()).start();
            try {
                assertThat(producer.waitFor(120, TimeUnit.SECONDS)).as("the producer finished").isTrue();
                assertThat(producer.exitValue()).as("the producer's exit; its log: %s",
                    Files.readString(dir.resolve("producer.log"))).isZero();
            }
            finally {
                producer.destroyForcibly();
            }
            assertThat(Files.readString(dir.resolve("result"))).isEqualTo("recalled=1 journaled=true");
            await().atMost(Duration.ofSeconds(10)).until(() -> pushes.runs(delivered) == 1);
            // Due 2.8 s after its send, recalled: past that, with the broker's lateness to spare, it never came.
            await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(7)).until(() -> pushes.runs(cancelled) == 0);
        }
    }

    private static boolean isConsumerStarter(String entry) {
        return entry.contains(File.separator + "consumer-starter" + File.separator)
            || entry.contains("ons-delay-consumer-spring-boot-starter");
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    private static ConfigurableApplicationContext listener(EmbeddedRocketMQBroker broker, String url) {
        return new SpringApplicationBuilder(TestApplication.class, Pushes.class).web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .properties("mqs.ons.endpoints=" + broker.endpoints(),
                "mqs.ons.timer-precision=" + broker.timerPrecision().toMillis() + "ms",
                "mqs.ons.max-delay=" + JournalContractTests.SERVER_MAX_DELAY, "spring.datasource.url=" + url,
                "spring.datasource.username=postgres", "mqs.ons.jdbc.initialize-schema=always",
                "mqs.ons.jdbc.relay-interval=1h", "mqs.ons.producers.solo-push.topic=solo_pushes",
                "mqs.ons.consumer.shutdown-timeout=2s", "journal.prefix=solo")
            .run();
    }

    static class Pushes {

        final List<String> runs = new CopyOnWriteArrayList<>();

        @OnsListener(producer = "solo-push", group = "solo-pushes")
        void push(Map<String, Object> event, DeliveryContext context) {
            runs.add(context.businessKey());
        }

        long runs(String key) {
            return runs.stream().filter(key::equals).count();
        }

    }

}
