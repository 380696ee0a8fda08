package io.github.onsdelay.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.apache.rocketmq.client.apis.producer.Producer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second server beside the shared one: both run at once without colliding, and the second one is
 * stopped and restarted on its store with a timed message pending.
 */
@EmbeddedRocketMQ(topics = "shared_timed")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedRocketMQRestartIntegrationTests {

    @TempDir
    static Path store;

    static EmbeddedRocketMQBroker second;

    @BeforeAll
    static void startSecondServer() {
        second = EmbeddedRocketMQBroker.builder().storeDir(store).topic("second_timed", TopicMessageType.DELAY).build()
            .start();
    }

    @AfterAll
    static void stopSecondServer() {
        second.close();
    }

    @Test
    @Order(1)
    void twoServersInOneJvmUseTheirOwnPortsStoresAndLogs(EmbeddedRocketMQBroker shared) throws Exception {
        assertThat(second.endpoints()).isNotEqualTo(shared.endpoints());
        assertThat(second.namesrvAddress()).isNotEqualTo(shared.namesrvAddress());
        assertThat(second.storeDir()).isNotEqualTo(shared.storeDir());
        assertThat(second.storeDir().resolve("logs/rocketmq.log")).exists();
        assertThat(shared.storeDir().resolve("logs/rocketmq.log")).exists();
        // Each server knows only its own topics: their RocketMQ state is not shared.
        assertThat(second.topicMessageType("shared_timed")).isNull();
        assertThat(shared.topicMessageType("second_timed")).isNull();

        try (RawClients.Received onShared = RawClients.consume(shared, "shared_timed", "two-servers");
                RawClients.Received onSecond = RawClients.consume(second, "second_timed", "two-servers");
                Producer toShared = RawClients.producer(shared, "shared_timed");
                Producer toSecond = RawClients.producer(second, "second_timed")) {
            long now = System.currentTimeMillis();
            toShared.send(RawClients.timed("shared_timed", "to-shared", now));
            toSecond.send(RawClients.timed("second_timed", "to-second", now));

            await().atMost(Duration.ofSeconds(20))
                .until(() -> onShared.deliveries.size() == 1 && onSecond.deliveries.size() == 1);
            assertThat(onShared.deliveries.get(0).body()).isEqualTo("to-shared");
            assertThat(onSecond.deliveries.get(0).body()).isEqualTo("to-second");
        }
    }

    @Test
    @Order(2)
    void pendingTimedMessageSurvivesAGracefulStopAndRestart() throws Exception {
        String endpointsBefore = second.endpoints();
        long due;
        try (Producer producer = RawClients.producer(second, "second_timed")) {
            due = System.currentTimeMillis() + 3_000;
            producer.send(RawClients.timed("second_timed", "pending", due));
        }

        second.restart();

        assertThat(second.endpoints()).isEqualTo(endpointsBefore);
        assertThat(Files.list(second.storeDir().resolve("store/commitlog"))).isNotEmpty();
        // The group of the first test: its consume offset was persisted by the graceful stop.
        try (RawClients.Received received = RawClients.consume(second, "second_timed", "two-servers")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !received.deliveries.isEmpty());
            RawClients.Delivery delivery = received.deliveries.get(0);
            assertThat(delivery.body()).isEqualTo("pending");
            assertThat(delivery.arrived()).isGreaterThanOrEqualTo(due);
        }
    }

}
