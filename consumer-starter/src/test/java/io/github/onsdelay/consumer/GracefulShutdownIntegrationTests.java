package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;

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
    void closingTheContextLetsAHandlerInProgressFinish(EmbeddedRocketMQBroker broker) throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
            .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
            .properties("mqs.ons.endpoints=" + broker.endpoints(),
                "mqs.ons.producers.slow.topic=consumer_shutdown",
                "mqs.ons.consumer.shutdown-timeout=10s")
            .run();
        SlowHandler handler = context.getBean(SlowHandler.class);
        context.getBean("slow", DelayProducer.class).send("job-1");
        assertThat(handler.started.await(20, TimeUnit.SECONDS)).isTrue();

        context.close();

        assertThat(handler.finished).isTrue();
        assertThat(handler.interrupted).isFalse();
    }

    static class SlowHandler {

        final CountDownLatch started = new CountDownLatch(1);

        volatile boolean finished;

        volatile boolean interrupted;

        @OnsListener(producer = "slow", group = "slow-group")
        void handle(String job) throws InterruptedException {
            started.countDown();
            try {
                Thread.sleep(2_000);
            }
            catch (InterruptedException ex) {
                interrupted = true;
                throw ex;
            }
            finished = true;
        }

    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        SlowHandler slowHandler() {
            return new SlowHandler();
        }

    }

}
