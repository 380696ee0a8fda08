package io.github.onsdelay.consumer;

import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The consumer that {@link KilledConsumerIntegrationTests} kills: a separate JVM that marks when it is
 * ready and how many messages it holds. Arguments: endpoints, marker directory, messages to expect.
 */
public final class KilledConsumerProcess {

    static Path markers;

    private KilledConsumerProcess() {
    }

    public static void main(String[] args) throws Exception {
        markers = Path.of(args[1]);
        int expected = Integer.parseInt(args[2]);
        ConfigurableApplicationContext context = KilledConsumerIntegrationTests.application(args[0], Victim.class);
        OnsListenerContainer container = context.getBean(OnsListenerRegistry.class).getListenerContainer("kill-group");
        Files.createFile(markers.resolve("ready"));
        while (container.getFigures().held() < expected) {
            Thread.sleep(20);
        }
        Files.createFile(markers.resolve("holding-" + expected));
        Thread.currentThread().join();
    }

    static class Victim {

        @OnsListener(producer = "kill", group = "kill-group")
        void handle(String job) throws Exception {
            Files.createFile(markers.resolve("handled-" + job));
        }

    }

}
