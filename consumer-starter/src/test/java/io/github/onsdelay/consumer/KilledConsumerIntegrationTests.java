package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
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
 * A consumer process killed with SIGKILL while it holds messages waiting for their due time: none is lost,
 * and the group's other instance gets them within 15 s, because the container keeps their invisibility
 * short (the proxy's minimum of 10 s) and renews it only while it still holds them.
 */
@EmbeddedRocketMQ(topics = "consumer_kill")
class KilledConsumerIntegrationTests {

    static final int MESSAGES = 20;

    /** The bound this test proves: what a dead instance held is handled by another within it. */
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(15);

    @Test
    void messagesHeldByAKilledConsumerAreHandledByAnotherInstanceWithinTheBound(EmbeddedRocketMQBroker broker,
            @TempDir Path markers) throws Exception {
        Process victim = new ProcessBuilder(javaBin(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                KilledConsumerProcess.class.getName(), broker.endpoints(), markers.toString(), Integer.toString(MESSAGES))
            .redirectErrorStream(true).redirectOutput(markers.resolve("victim.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).alias("the victim ready").failFast("the victim exited",
                () -> !victim.isAlive()).until(() -> Files.exists(markers.resolve("ready")));
            try (ConfigurableApplicationContext sender = application(broker.endpoints())) {
                DelayProducer producer = sender.getBean("kill", DelayProducer.class);
                Instant due = Instant.now().plusSeconds(8);
                for (int i = 0; i < MESSAGES; i++) {
                    // Released at once (the lead is 8 s), so the victim holds each for about 8 s.
                    producer.send(DelayMessage.of("job-" + i).withKey("job-" + i).withDeliverAt(due));
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(markers.resolve("holding-" + MESSAGES)));

            try (ConfigurableApplicationContext survivor = application(broker.endpoints(), Survivor.class)) {
                victim.destroyForcibly();
                Instant killed = Instant.now();
                assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(victim.exitValue()).isEqualTo(137);
                assertThat(Files.list(markers).filter(path -> path.getFileName().toString().startsWith("handled-")))
                    .as("the victim handled nothing").isEmpty();

                Survivor handler = survivor.getBean(Survivor.class);
                await().atMost(RECOVERY_BOUND.plusSeconds(30)).until(() -> handler.handled.size() == MESSAGES);
                Instant last = handler.handled.values().stream().max(Instant::compareTo).orElseThrow();
                Duration recovery = Duration.between(killed, last);
                System.out.printf("Killed consumer: all %d held messages handled by the other instance %d ms after "
                    + "the kill%n", MESSAGES, recovery.toMillis());
                assertThat(recovery).as("time from the kill until all were handled").isLessThan(RECOVERY_BOUND);
            }
        }
        catch (RuntimeException | AssertionError ex) {
            // What the victim said is the first thing to read when it never got ready or misbehaved.
            System.out.println("victim.log:\n" + Files.readString(markers.resolve("victim.log")));
            throw ex;
        }
        finally {
            victim.destroyForcibly();
        }
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    static ConfigurableApplicationContext application(String endpoints, Class<?>... beans) {
        Class<?>[] sources = new Class<?>[beans.length + 1];
        sources[0] = TestApplication.class;
        System.arraycopy(beans, 0, sources, 1, beans.length);
        return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
            .properties("mqs.ons.endpoints=" + endpoints, "mqs.ons.timer-precision=100ms",
                "mqs.ons.producers.kill.topic=consumer_kill", "mqs.ons.producers.kill.delivery-lead=8s")
            .run();
    }

    static class Survivor {

        final Map<String, Instant> handled = new ConcurrentHashMap<>();

        @OnsListener(producer = "kill", group = "kill-group")
        void handle(String job) {
            handled.putIfAbsent(job, Instant.now());
        }

    }

}
