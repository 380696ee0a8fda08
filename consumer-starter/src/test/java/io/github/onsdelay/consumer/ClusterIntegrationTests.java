package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.onsdelay.embedded.EmbeddedRocketMQCluster;
import io.github.onsdelay.embedded.EmbeddedRocketMQClusterTest;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.producer.SendResult;
import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two brokers behind one NameServer and a proxy in CLUSTER mode: sends spread over both, retries and hops work,
 * a stopped broker's pending messages are delivered once it is back while new sends go to the other, and two
 * application instances of one group share the work.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EmbeddedRocketMQClusterTest(brokers = 2, topics = "consumer_cluster", maxDelay = "3s")
class ClusterIntegrationTests {

    static EmbeddedRocketMQCluster cluster;

    @BeforeAll
    static void cluster(EmbeddedRocketMQCluster started) {
        cluster = started;
    }

    static ConfigurableApplicationContext application(Class<?>... beans) {
        Class<?>[] sources = new Class<?>[beans.length + 1];
        sources[0] = TestApplication.class;
        System.arraycopy(beans, 0, sources, 1, beans.length);
        return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
            .properties("mqs.ons.endpoints=" + cluster.endpoints(), "mqs.ons.timer-precision=100ms",
                "mqs.ons.max-delay=3s", "mqs.ons.producers.cluster.topic=consumer_cluster",
                "mqs.ons.producers.cluster.delays=1s", "mqs.ons.consumer.shutdown-timeout=2s")
            .run();
    }

    @Test
    @Order(1)
    void sendsSpreadOverBothBrokersAndRetriesAndHopsWork() {
        try (ConfigurableApplicationContext context = application(Handler.class)) {
            Handler handler = context.getBean(Handler.class);
            DelayProducer producer = context.getBean("cluster", DelayProducer.class);
            for (int i = 0; i < 40; i++) {
                producer.send(DelayMessage.of("spread-" + i).withKey("spread-" + i));
            }
            SendResult hop = producer.send(DelayMessage.of("hop-1").withKey("hop-1")
                .withDeliverAt(Instant.now().plusSeconds(8)));
            assertThat(hop.isHop()).isTrue();

            await().atMost(Duration.ofSeconds(30)).until(() -> handler.succeeded("spread-").size() == 40);
            assertThat(handler.attempts("spread-3")).containsExactly(0, 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> handler.succeeded.containsKey("hop-1"));
            assertThat(handler.succeeded.get("hop-1")).isAfterOrEqualTo(hop.dueAt());
            assertThat(cluster.storedMessages(0, "consumer_cluster")).as("broker 0").isPositive();
            assertThat(cluster.storedMessages(1, "consumer_cluster")).as("broker 1").isPositive();
        }
    }

    @Test
    @Order(2)
    void aStoppedBrokersPendingMessagesAreDeliveredWhenItReturnsAndNewSendsGoToTheOther() {
        try (ConfigurableApplicationContext context = application(Handler.class)) {
            Handler handler = context.getBean(Handler.class);
            DelayProducer producer = context.getBean("cluster", DelayProducer.class);
            // Due well after broker 1's stop has ended, so that what it holds is still in its timer then.
            Instant due = Instant.now().plusSeconds(5);
            List<String> pending = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                producer.send(DelayMessage.of("pending-" + i).withKey("pending-" + i).withDeliverAt(due));
                pending.add("pending-" + i);
            }
            cluster.stopBroker(1);
            Instant stopped = Instant.now();
            // Once the proxy has read the route again (within its refresh of 1 s here), new sends go to broker 0.
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> producer.send(DelayMessage.of("during-probe").withKey("during-probe")).isSent());
            System.out.printf("Cluster: sends succeed again %d ms after a broker stopped%n",
                Duration.between(stopped, Instant.now()).toMillis());
            for (int i = 0; i < 20; i++) {
                assertThat(producer.send(DelayMessage.of("during-" + i).withKey("during-" + i)).isSent()).isTrue();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> handler.succeeded("during-").size() >= 20);
            int beforeReturn = handler.succeeded("pending-").size();
            assertThat(beforeReturn).as("what broker 1 holds waits for it").isLessThan(40);

            cluster.startBroker(1);
            Instant back = Instant.now();
            await().atMost(Duration.ofSeconds(60)).until(() -> handler.succeeded("pending-").size() == 40);
            System.out.printf("Cluster: a stopped broker's %d pending messages handled %d ms after it was back%n",
                40 - beforeReturn, Duration.between(back, Instant.now()).toMillis());
            assertThat(handler.succeeded.keySet()).containsAll(pending);
        }
    }

    @Test
    @Order(3)
    void twoInstancesOfOneGroupShareTheWork() {
        try (ConfigurableApplicationContext first = application(Handler.class);
                ConfigurableApplicationContext second = application(Handler.class)) {
            Handler one = first.getBean(Handler.class);
            Handler two = second.getBean(Handler.class);
            DelayProducer producer = first.getBean("cluster", DelayProducer.class);
            // Due over 4 s, as work arrives in an application: each timer slot releases a few, to whoever asks.
            Instant start = Instant.now().plusSeconds(2);
            for (int i = 0; i < 200; i++) {
                producer.send(DelayMessage.of("shared-" + i).withKey("shared-" + i)
                    .withDeliverAt(start.plusMillis(20L * i)));
            }
            await().atMost(Duration.ofSeconds(30))
                .until(() -> one.succeeded("shared-").size() + two.succeeded("shared-").size() >= 200);
            System.out.printf("Cluster: two instances handled %d and %d of 200%n", one.succeeded("shared-").size(),
                two.succeeded("shared-").size());
            assertThat(one.succeeded("shared-")).as("first instance").isNotEmpty();
            assertThat(two.succeeded("shared-")).as("second instance").isNotEmpty();
        }
    }

    static class Handler {

        final Map<String, Instant> succeeded = new ConcurrentHashMap<>();

        final List<String> runs = new CopyOnWriteArrayList<>();

        @OnsListener(producer = "cluster", group = "cluster-group")
        boolean handle(String key, DeliveryContext context) {
            runs.add(key + "#" + context.attempt());
            // The spread messages fail once, so that their retries travel too.
            if (key.startsWith("spread-") && context.attempt() == 0) {
                return false;
            }
            succeeded.putIfAbsent(key, Instant.now());
            return true;
        }

        List<String> succeeded(String prefix) {
            return succeeded.keySet().stream().filter(key -> key.startsWith(prefix)).toList();
        }

        List<Integer> attempts(String key) {
            return runs.stream().filter(run -> run.startsWith(key + "#"))
                .map(run -> Integer.parseInt(run.substring(run.indexOf('#') + 1))).toList();
        }

    }

}
