package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A consumer whose clock runs 12 s behind the broker's and the producer's: every message it receives looks due
 * beyond its hold horizon, and a hop it sends comes back at once. It hops once, sees the broker released the hop
 * before the time it asked for, and holds the message until due by its own clock: no send-and-ack loop.
 */
@EmbeddedRocketMQ(topics = "consumer_skew")
@ExtendWith(OutputCaptureExtension.class)
class ClockSkewIntegrationTests {

    static final Duration SKEW = Duration.ofSeconds(12);

    @Test
    void aConsumerWhoseClockIsBehindTheBrokersHoldsInsteadOfHoppingInALoop(EmbeddedRocketMQBroker broker,
            CapturedOutput output) {
        try (ConfigurableApplicationContext producerSide = application(broker);
                ConfigurableApplicationContext consumerSide = application(broker, Behind.class)) {
            Instant due = Instant.now().plusSeconds(4);
            producerSide.getBean("skew", DelayProducer.class).send(DelayMessage.of("s-1").withKey("s-1").withDeliverAt(due));

            Behind behind = consumerSide.getBean(Behind.class);
            await().atMost(Duration.ofSeconds(40)).until(() -> behind.runs.size() == 1);
            ListenerFigures figures = consumerSide.getBean(OnsListenerRegistry.class).getListenerContainer("skew-group")
                .getFigures();
            Run run = behind.runs.get(0);
            System.out.printf("Consumer clock %d s behind: %d hop(s), handled %d ms after due by the true clock%n",
                SKEW.toSeconds(), figures.hops(), Duration.between(due, run.trueStart()).toMillis());
            assertThat(figures.hops()).as("hops sent").isLessThanOrEqualTo(1);
            assertThat(run.skewedStart()).as("never before due by its own clock").isAfterOrEqualTo(run.dueAt());
            assertThat(output.getAll()).contains("the clock here is behind the broker's");
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> behind.runs.size() == 1);
        }
    }

    private static ConfigurableApplicationContext application(EmbeddedRocketMQBroker broker, Class<?>... beans) {
        Class<?>[] sources = new Class<?>[beans.length + 1];
        sources[0] = TestApplication.class;
        System.arraycopy(beans, 0, sources, 1, beans.length);
        return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .properties("mqs.ons.endpoints=" + broker.endpoints(), "mqs.ons.timer-precision=100ms",
                "mqs.ons.producers.skew.topic=consumer_skew")
            .run();
    }

    record Run(Instant dueAt, Instant skewedStart, Instant trueStart) {
    }

    @Configuration(proxyBeanMethods = false)
    static class Behind {

        final Clock clock = Clock.offset(Clock.systemUTC(), SKEW.negated());

        final List<Run> runs = new CopyOnWriteArrayList<>();

        @Bean
        Clock skewedClock() {
            return clock;
        }

        @OnsListener(producer = "skew", group = "skew-group")
        void handle(String key, DeliveryContext context) {
            runs.add(new Run(context.dueAt(), clock.instant(), Instant.now()));
        }

    }

}
