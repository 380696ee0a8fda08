package io.github.onsdelay.consumer;

import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The consumer that {@link KilledConsumerIntegrationTests} kills: a separate JVM whose handler marks that
 * it started and then works for a long time. Arguments: endpoints, marker directory.
 */
public final class KilledConsumerProcess {

    static Path markers;

    private KilledConsumerProcess() {
    }

    public static void main(String[] args) throws Exception {
        markers = Path.of(args[1]);
        KilledConsumerIntegrationTests.application(args[0], VictimApp.class);
        Files.createFile(markers.resolve("ready"));
        Thread.currentThread().join();
    }

    static class Victim {

        @io.github.onsdelay.consumer.OnsListener(producer = "kill", group = "kill-group")
        void handle(String job) throws Exception {
            Files.createFile(markers.resolve("handling-" + job));
            // Long enough to be killed in the middle of it.
            Thread.sleep(600_000);
        }

    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class VictimApp {

        @Bean
        Victim victim() {
            return new Victim();
        }

    }

}
