package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A consumer process killed with SIGKILL in the middle of a handler: the message is not lost; once its
 * invisible time has passed, the broker delivers it to the group's next consumer.
 */
@EmbeddedRocketMQ(topics = "consumer_kill")
class KilledConsumerIntegrationTests {

    @Test
    void messageOfAKilledConsumerIsDeliveredAgain(EmbeddedRocketMQBroker broker, @TempDir Path markers) throws Exception {
        Process victim = new ProcessBuilder(javaBin(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                KilledConsumerProcess.class.getName(), broker.endpoints(), markers.toString())
            .redirectErrorStream(true).redirectOutput(markers.resolve("victim.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(markers.resolve("ready")));
            try (ConfigurableApplicationContext sender = application(broker, SenderApp.class)) {
                sender.getBean("kill", DelayProducer.class).send(DelayMessage.of("job-1").withKey("job-1"));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(markers.resolve("handling-job-1")));

            victim.destroyForcibly();
            assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(victim.exitValue()).isEqualTo(137);

            try (ConfigurableApplicationContext survivor = application(broker, SurvivorApp.class)) {
                Survivor handler = survivor.getBean(Survivor.class);
                await().atMost(Duration.ofSeconds(90)).until(() -> !handler.handled.isEmpty());
                assertThat(handler.handled.get(0).businessKey()).isEqualTo("job-1");
                assertThat(handler.handled.get(0).brokerDeliveryAttempt()).isGreaterThan(1);
                System.out.printf("Killed consumer: job-1 delivered again, broker delivery attempt %d%n",
                    handler.handled.get(0).brokerDeliveryAttempt());
            }
        }
        finally {
            victim.destroyForcibly();
        }
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    static ConfigurableApplicationContext application(EmbeddedRocketMQBroker broker, Class<?> app) {
        return application(broker.endpoints(), app);
    }

    static ConfigurableApplicationContext application(String endpoints, Class<?> app) {
        return new SpringApplicationBuilder(app).web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
            .properties("mqs.ons.endpoints=" + endpoints, "mqs.ons.producers.kill.topic=consumer_kill")
            .run();
    }

    static class Survivor {

        final List<DeliveryContext> handled = new CopyOnWriteArrayList<>();

        @OnsListener(producer = "kill", group = "kill-group")
        void handle(String job, DeliveryContext context) {
            handled.add(context);
        }

    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class SenderApp {

    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class SurvivorApp {

        @Bean
        Survivor survivor() {
            return new Survivor();
        }

    }

}
