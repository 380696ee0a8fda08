package io.github.onsdelay.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.test.FaultProxy;
import io.github.onsdelay.test.FaultProxy.Direction;
import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The first send after start-up: the producers' topic routes are fetched while the application starts, so that
 * its first message takes one round trip to the server, as every later one does, instead of three (the client
 * would fetch the route, then sync its settings with the server, inside that send). Shown through a proxy that
 * delays every byte towards the server by {@link #LATENCY}, so that round trips, not this machine's load, decide.
 * A producer whose topic does not exist does not stop the start: a WARN names the topic and the producer.
 */
@EmbeddedRocketMQ(topics = "producer_startup")
@ExtendWith(OutputCaptureExtension.class)
class ProducerStartupIntegrationTests {

    static final Duration LATENCY = Duration.ofMillis(200);

    private static ConfigurableApplicationContext application(String endpoints) {
        return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .properties("mqs.ons.endpoints=" + endpoints, "mqs.ons.timer-precision=100ms",
                "mqs.ons.producers.startup.topic=producer_startup",
                "mqs.ons.producers.nowhere.topic=producer_startup_missing")
            .run();
    }

    @Test
    void theFirstSendAfterStartUpTakesOneRoundTripAndAMissingTopicIsNamed(EmbeddedRocketMQBroker broker,
            CapturedOutput output) {
        // The JVM's own first send loads and compiles the whole send path (500 ms and more here): done first, by an
        // application of its own, so that what is measured below is the client's round trips.
        try (ConfigurableApplicationContext warmUp = application(broker.endpoints())) {
            warmUp.getBean("startup", DelayProducer.class).send(DelayMessage.of("warm-up").withKey("warm-up"));
        }
        try (FaultProxy proxy = FaultProxy.start(broker.endpoints())) {
            proxy.delay(Direction.CLIENT_TO_SERVER, LATENCY);
            long starting = System.nanoTime();
            try (ConfigurableApplicationContext context = application(proxy.endpoint())) {
                long startMs = Duration.ofNanos(System.nanoTime() - starting).toMillis();
                DelayProducer producer = context.getBean("startup", DelayProducer.class);
                long sending = System.nanoTime();
                assertThat(producer.send(DelayMessage.of("first").withKey("first")).isSent()).isTrue();
                long firstMs = Duration.ofNanos(System.nanoTime() - sending).toMillis();
                sending = System.nanoTime();
                assertThat(producer.send(DelayMessage.of("second").withKey("second")).isSent()).isTrue();
                long secondMs = Duration.ofNanos(System.nanoTime() - sending).toMillis();
                System.out.printf("Start-up through a %d ms proxy: started in %d ms, first send %d ms, second %d ms%n",
                    LATENCY.toMillis(), startMs, firstMs, secondMs);
                // The premise: each round trip costs the proxy's latency.
                assertThat(secondMs).as("a later send (ms)").isGreaterThanOrEqualTo(LATENCY.toMillis());
                // One round trip and this machine's share of it; the route and settings inside it would make three.
                assertThat(firstMs).as("the first send after start-up (ms)").isLessThan(2 * LATENCY.toMillis());
                assertThat(output.getOut()).contains("No route for topic 'producer_startup_missing' (producer "
                    + "nowhere) at start-up");
            }
        }
    }

}
