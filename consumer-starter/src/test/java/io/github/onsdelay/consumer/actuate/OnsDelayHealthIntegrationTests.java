package io.github.onsdelay.consumer.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import io.github.onsdelay.consumer.OnsListener;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.embedded.TopicMessageType;
import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

/** A server of its own, stopped and started again under a running application: its health follows. */
class OnsDelayHealthIntegrationTests {

    @Test
    void healthGoesDownWhenTheServerStopsAndUpWhenItIsBack(@TempDir Path store) {
        try (EmbeddedRocketMQBroker broker = EmbeddedRocketMQBroker.builder().storeDir(store)
                .topic("consumer_health", TopicMessageType.DELAY).build().start();
                ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class,
                        Handler.class)
                    .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
                    .properties("mqs.ons.endpoints=" + broker.endpoints(),
                        "mqs.ons.producers.health.topic=consumer_health")
                    .run()) {
            HealthIndicator client = context.getBean("onsDelayClientHealthIndicator", HealthIndicator.class);
            CompositeHealthContributor listeners = context.getBean("onsDelayListenersHealthContributor",
                CompositeHealthContributor.class);
            HealthIndicator listener = (HealthIndicator) listeners.getContributor("health-group");
            assertThat(client.health().getStatus()).isEqualTo(Status.UP);
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.health().getStatus().equals(Status.UP));

            broker.stop();
            long stopped = System.nanoTime();
            Health down = client.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails().get("endpoints").toString()).contains(broker.endpoints(), "unreachable");
            await().atMost(Duration.ofSeconds(30)).until(() -> listener.health().getStatus().equals(Status.DOWN));
            assertThat(listener.health().getDetails()).containsEntry("state", "FAILING");
            long listenerDown = System.nanoTime();

            broker.start();
            long started = System.nanoTime();
            assertThat(client.health().getStatus()).isEqualTo(Status.UP);
            await().atMost(Duration.ofSeconds(60)).until(() -> listener.health().getStatus().equals(Status.UP));
            System.out.printf("Health: listener DOWN %d ms after the server stopped, UP %d ms after it was back%n",
                Duration.ofNanos(listenerDown - stopped).toMillis(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
            assertThat(listener.health().getDetails()).containsEntry("state", "RUNNING");
        }
    }

    static class Handler {

        @OnsListener(producer = "health", group = "health-group")
        void handle(String payload) {
        }

    }

}
