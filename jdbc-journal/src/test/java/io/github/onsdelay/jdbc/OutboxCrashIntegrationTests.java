package io.github.onsdelay.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An application killed with SIGKILL after its transaction committed and before the message was sent, on
 * PostgreSQL: the outbox row survives, and the relay of the next start sends it, exactly once.
 */
@EmbeddedRocketMQ(topics = "crash_pushes", maxDelay = JournalContractTests.SERVER_MAX_DELAY)
class OutboxCrashIntegrationTests {

    @Test
    void aSendCommittedByAKilledProcessIsSentOnceByTheRelayOfTheNextStart(EmbeddedRocketMQBroker broker,
            @TempDir Path markers) throws Exception {
        String url = TestDatabases.postgres().url();
        String key = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        Process victim = new ProcessBuilder(javaBin(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                OutboxCrashProcess.class.getName(), broker.endpoints(), url, markers.toString(), key)
            .redirectErrorStream(true).redirectOutput(markers.resolve("victim.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(markers.resolve("committed"))
                || !victim.isAlive());
            assertThat(Files.exists(markers.resolve("committed"))).as("the victim committed; its log: %s",
                markers.resolve("victim.log")).isTrue();
            victim.destroyForcibly();
            assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(victim.exitValue()).isEqualTo(137);
        }
        finally {
            victim.destroyForcibly();
        }

        try (ConfigurableApplicationContext next = application(broker.endpoints(), url, Pushes.class)) {
            JdbcTemplate jdbc = next.getBean(JdbcTemplate.class);
            Pushes pushes = next.getBean(Pushes.class);
            await().atMost(Duration.ofSeconds(15)).until(() -> pushes.runs(key) == 1);
            // Sent once: no second delivery of the key follows the first.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> pushes.runs(key) == 1);
            assertThat(jdbc.queryForList("SELECT state FROM ons_delay_outbox WHERE business_key = ?", String.class, key))
                .containsExactly("SENT");
        }
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    /** The application on both sides of the crash; its relay runs at start-up only, as after a restart. */
    static ConfigurableApplicationContext application(String endpoints, String url, Class<?>... beans) {
        Class<?>[] sources = new Class<?>[beans.length + 1];
        sources[0] = TestApplication.class;
        System.arraycopy(beans, 0, sources, 1, beans.length);
        return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
            .properties("mqs.ons.endpoints=" + endpoints, "mqs.ons.timer-precision=100ms",
                "spring.datasource.url=" + url, "spring.datasource.username=postgres",
                "mqs.ons.jdbc.initialize-schema=always", "mqs.ons.jdbc.relay-interval=1h",
                "mqs.ons.producers.crash-push.topic=crash_pushes", "mqs.ons.producers.crash-push.initial-delay=0s",
                "mqs.ons.consumer.shutdown-timeout=2s", "journal.prefix=crash")
            .run();
    }

    static class Pushes {

        final List<String> runs = new CopyOnWriteArrayList<>();

        @OnsListener(producer = "crash-push", group = "crash-pushes")
        void push(Map<String, Object> event, DeliveryContext context) {
            runs.add(context.businessKey());
        }

        long runs(String key) {
            return runs.stream().filter(key::equals).count();
        }

    }

}
