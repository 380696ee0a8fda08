package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.producer.DelayProducer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@EmbeddedRocketMQ(topics = "consumer_shutdown")
class GracefulShutdownIntegrationTests {

    @Test
    void closingTheContextWaitsForAHandlerInProgress(EmbeddedRocketMQBroker broker) throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
            .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
            .properties("mqs.ons.endpoints=" + broker.endpoints(),
                "mqs.ons.producers.slow.topic=consumer_shutdown",
                "mqs.ons.consumer.shutdown-timeout=20s")
            .run();
        HeldHandler handler = context.getBean(HeldHandler.class);
        context.getBean("slow", DelayProducer.class).send("job-1");
        assertThat(handler.started.await(20, TimeUnit.SECONDS)).isTrue();

        Thread closer = new Thread(context::close, "closer");
        closer.start();

        // The shutdown waits for the handler it let in, and the handler is not interrupted.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(closer::isAlive);
        assertThat(handler.finished).isFalse();
        handler.release.countDown();
        closer.join(30_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(handler.finished).isTrue();
        assertThat(handler.interrupted).isFalse();
    }

    static class HeldHandler {

        final CountDownLatch started = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        volatile boolean finished;

        volatile boolean interrupted;

        @OnsListener(producer = "slow", group = "slow-group")
        void handle(String job) {
            started.countDown();
            try {
                finished = release.await(20, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                interrupted = true;
                Thread.currentThread().interrupt();
            }
        }

    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        HeldHandler heldHandler() {
            return new HeldHandler();
        }

    }

}
