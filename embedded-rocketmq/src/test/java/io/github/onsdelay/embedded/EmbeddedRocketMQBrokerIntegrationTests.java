package io.github.onsdelay.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import io.github.onsdelay.test.ServerLine;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.junit.jupiter.api.Test;

@EmbeddedRocketMQ(topics = "embedded_timed", normalTopics = "embedded_plain")
class EmbeddedRocketMQBrokerIntegrationTests {

    /** Measured on 2 cores at 100 ms precision: p99 ~130 ms, max ~250 ms; a loaded CI machine gets headroom. */
    private static final long P99_TOLERANCE_MS = 1_000;

    private static final int MESSAGES = 300;

    @Test
    void timedMessagesArriveNeverBeforeTheirDueTimeAndWithinTolerance(EmbeddedRocketMQBroker broker) throws Exception {
        Random random = new Random(42);
        try (RawClients.Received received = RawClients.consume(broker, "embedded_timed", "embedded-timing");
                Producer producer = RawClients.producer(broker, "embedded_timed")) {
            for (int i = 0; i < MESSAGES; i++) {
                long due = System.currentTimeMillis() + 1_000 + random.nextInt(2_000);
                producer.send(RawClients.timed("embedded_timed", "m" + i, due));
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> received.deliveries.size() >= MESSAGES);

            List<Long> lateness = received.deliveries.stream().map(RawClients.Delivery::lateness).sorted().toList();
            long early = lateness.stream().filter(late -> late < 0).count();
            long p50 = lateness.get(lateness.size() / 2);
            long p99 = lateness.get((int) Math.ceil(lateness.size() * 0.99) - 1);
            System.out.printf("Timed delivery lateness at %d ms precision, %d messages: p50 %d ms, p99 %d ms, "
                + "max %d ms, early %d%n", broker.timerPrecision().toMillis(), lateness.size(), p50, p99,
                lateness.get(lateness.size() - 1), early);
            assertThat(early).as("deliveries before their due time").isZero();
            assertThat(p99).as("p99 lateness (ms)").isLessThan(P99_TOLERANCE_MS);
            assertThat(received.deliveries).extracting(RawClients.Delivery::body).doesNotHaveDuplicates();
        }
    }

    @Test
    void delayTopicRejectsAMessageWithoutDeliveryTimestamp(EmbeddedRocketMQBroker broker) throws Exception {
        try (Producer producer = RawClients.producer(broker, "embedded_timed")) {
            var untimed = RawClients.PROVIDER.newMessageBuilder().setTopic("embedded_timed").setBody("x".getBytes())
                .build();

            // rocketmq-client-java 5.2.0 checks the route's accepted types itself, before anything is sent.
            assertThatThrownBy(() -> producer.send(untimed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Current message type not match with topic accept message types, topic=embedded_timed, "
                    + "actualMessageType=NORMAL, acceptMessageTypes=[DELAY]");
        }
    }

    @Test
    void declaredTopicsCarryTheirMessageType(EmbeddedRocketMQBroker broker) {
        assertThat(broker.topicMessageType("embedded_timed")).isEqualTo(TopicMessageType.DELAY);
        assertThat(broker.topicMessageType("embedded_plain")).isEqualTo(TopicMessageType.NORMAL);
        assertThat(broker.topicMessageType("no_such_topic")).isNull();
    }

    @Test
    void theRemotingClientOfTheServersVersionSendsStraightToTheBroker(EmbeddedRocketMQBroker broker) throws Exception {
        try (RawClients.Received received = RawClients.consume(broker, "embedded_timed", "embedded-remoting")) {
            long due = System.currentTimeMillis() + 1_500;
            String messageId = broker.sendWithRemotingClient(RemotingMessage.of("embedded_timed", "remoting-1".getBytes())
                .tag("t").keys("k-1").deliverTimeMs(due).property("__STARTDELIVERTIME", Long.toString(due)));

            assertThat(messageId).isNotBlank();
            await().atMost(Duration.ofSeconds(15)).until(() -> received.deliveries.stream()
                .anyMatch(delivery -> delivery.body().equals("remoting-1")));
            RawClients.Delivery delivery = received.deliveries.stream()
                .filter(candidate -> candidate.body().equals("remoting-1")).findFirst().orElseThrow();
            // TIMER_DELIVER_MS reaches a gRPC consumer as its delivery timestamp; the broker released it then.
            assertThat(delivery.due()).isEqualTo(due);
            assertThat(delivery.arrived()).isGreaterThanOrEqualTo(due);
        }
    }

    /**
     * The server is the RocketMQ the build bundled ({@code -Drocketmq.version=…} picks it), and the fast stop finds
     * every place where it wakes threads: a version that renamed one fails here rather than stopping slowly.
     */
    @Test
    void runsTheBundledVersionAndItsFastStopKnowsEveryWaitingPlace(EmbeddedRocketMQBroker broker) {
        assertThat(broker.serverVersion()).isEqualTo(ServerLine.expectedServerVersion());
        assertThat(broker.unknownStopWaitPlaces()).isEmpty();
    }

    @Test
    void listensOnLoopbackOnly(EmbeddedRocketMQBroker broker) {
        assertThat(broker.endpoints()).startsWith("127.0.0.1:");
        assertThat(broker.namesrvAddress()).startsWith("127.0.0.1:");
    }

}
