package io.github.onsdelay.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.onsdelay.core.OnsSendException;
import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.embedded.TopicMessageType;
import io.github.onsdelay.test.FaultProxy;
import io.github.onsdelay.test.FaultProxy.Direction;
import io.github.onsdelay.test.RecordingConsumer;
import io.github.onsdelay.test.TestApplication;
import io.github.onsdelay.test.Tolerances;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code send-timeout} bounds the whole send against a server that does not answer (the real server behind a
 * {@link FaultProxy}): the caller is told within it, and no attempt of the send starts after that, so a send
 * reported failed is never stored later. A plain consumer reads the topic straight from the server.
 */
@EmbeddedRocketMQ(topics = "send_bound")
class SendTimeoutIntegrationTests {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(1);

    /**
     * How much later than the send timeout a failure may be reported on this 2-core machine. Measured over four
     * runs for a 1 s timeout, with other engineers' builds and their servers running (load average 4-18): sync
     * 1.03-1.44 s, async 1.03-1.44 s; the margin is three times the worst excess seen.
     */
    private static final Duration REPORT_MARGIN = Duration.ofMillis(1_500);

    @Test
    void aSendReportedFailedForWantOfAnAnswerIsNotStoredLaterAndEverySendReportedSentIs(
            EmbeddedRocketMQBroker broker) throws Exception {
        // Each attempt may wait 2 s, longer than the send: the client alone would start a second one after the bound.
        Duration requestTimeout = Duration.ofSeconds(2);
        try (FaultProxy proxy = FaultProxy.start(broker.endpoints());
                RecordingConsumer consumer = new RecordingConsumer(broker.endpoints(), "send_bound", "send-bound-reader");
                ConfigurableApplicationContext context = application(proxy, "send_bound", requestTimeout)) {
            DelayProducer producer = context.getBean("bound", DelayProducer.class);
            List<String> reportedSent = new ArrayList<>();
            producer.send("sent-while-passing");
            reportedSent.add("sent-while-passing");

            proxy.blackHole(Direction.CLIENT_TO_SERVER);
            long began = System.nanoTime();
            CompletableFuture<SendResult> async = producer.sendAsync("unanswered-async");
            assertThatThrownBy(() -> producer.send("unanswered-sync"))
                .isInstanceOf(OnsSendException.class)
                .hasMessageContaining("no answer from the broker within the send timeout of 1000 ms");
            Duration syncFailedAfter = Duration.ofNanos(System.nanoTime() - began);
            assertThatThrownBy(() -> async.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(OnsSendException.class)
                .hasMessageContaining("no answer from the broker within the send timeout of 1000 ms");
            Duration asyncFailedAfter = Duration.ofNanos(System.nanoTime() - began);
            System.out.printf("Unanswered sends with send-timeout %d ms failed after: sync %d ms, async %d ms%n",
                SEND_TIMEOUT.toMillis(), syncFailedAfter.toMillis(), asyncFailedAfter.toMillis());
            assertThat(syncFailedAfter).isBetween(SEND_TIMEOUT, SEND_TIMEOUT.plus(REPORT_MARGIN));
            assertThat(asyncFailedAfter).isBetween(SEND_TIMEOUT, SEND_TIMEOUT.plus(REPORT_MARGIN));
            assertThat(proxy.bytesDropped(Direction.CLIENT_TO_SERVER)).isPositive();

            proxy.pass();
            for (int i = 0; i < 5; i++) {
                producer.send("sent-after-pass-" + i);
                reportedSent.add("sent-after-pass-" + i);
            }

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(reportedSent)
                .allMatch(consumer::has, "stored"));
            // A client retry after the bound would have started by its last attempt's request timeout.
            await().during(requestTimeout.multipliedBy(3).plus(Tolerances.BROKER_LATENESS))
                .atMost(Duration.ofSeconds(30))
                .until(() -> !consumer.has("unanswered"));
        }
    }

    @Test
    void aSendWhoseRouteAnswerComesAfterTheBoundIsNeverAttempted(EmbeddedRocketMQBroker broker) throws Exception {
        // Long enough for the route query to be answered, late, after the send has failed.
        Duration requestTimeout = Duration.ofSeconds(5);
        Duration latency = Duration.ofSeconds(2);
        // The topic is created only once the application has started, so that the route fetch of start-up found
        // none: the first send asks the server for the route first.
        try (FaultProxy proxy = FaultProxy.start(broker.endpoints());
                ConfigurableApplicationContext context = application(proxy, "send_bound_route", requestTimeout)) {
            broker.createTopic("send_bound_route", TopicMessageType.DELAY);
            DelayProducer producer = context.getBean("bound", DelayProducer.class);
            // Started once the server serves the topic's route (the consumer's own start fetches it; the proxy
            // learns of a new topic within a second).
            try (RecordingConsumer consumer = await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                    .until(() -> new RecordingConsumer(broker.endpoints(), "send_bound_route", "send-bound-route-reader"),
                        started -> true)) {
                proxy.delay(Direction.SERVER_TO_CLIENT, latency);
                assertThatThrownBy(() -> producer.send("route-too-late"))
                    .isInstanceOf(OnsSendException.class)
                    .hasMessageContaining("no answer from the broker within the send timeout of 1000 ms");
                proxy.pass();

                // The route's answer arrives 2 s after the query, 1 s after the caller was told the send failed.
                await().during(latency.plus(requestTimeout).plus(Tolerances.BROKER_LATENESS))
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> !consumer.has("route-too-late"));
                producer.send("sent-after-pass");
                await().atMost(Duration.ofSeconds(15)).until(() -> consumer.has("sent-after-pass"));
            }
        }
    }

    private static ConfigurableApplicationContext application(FaultProxy proxy, String topic, Duration requestTimeout) {
        return new SpringApplicationBuilder(TestApplication.class)
            .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
            .properties("mqs.ons.endpoints=" + proxy.endpoint(),
                "mqs.ons.request-timeout=" + requestTimeout.toMillis() + "ms",
                "mqs.ons.producers.bound.topic=" + topic,
                "mqs.ons.producers.bound.send-timeout=" + SEND_TIMEOUT.toMillis() + "ms")
            .run();
    }

}
