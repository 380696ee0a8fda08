package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.onsdelay.embedded.EmbeddedRocketMQCluster;
import io.github.onsdelay.embedded.TopicMessageType;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.test.TestApplication;
import io.github.onsdelay.test.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Verified TLS to a CLUSTER-mode proxy in front of two brokers, whose route answers name the endpoints the client
 * asked with: every message, on either broker, and its retry go over channels that verified the proxy, and a
 * client that trusts another CA is refused.
 */
class VerifiedTlsClusterIntegrationTests {

    @TempDir
    static Path certificates;

    static TestCertificates trusted;

    static TestCertificates other;

    static EmbeddedRocketMQCluster cluster;

    @BeforeAll
    static void start() {
        trusted = TestCertificates.issue(certificates, "cluster");
        other = TestCertificates.issue(certificates, "elsewhere");
        cluster = EmbeddedRocketMQCluster.builder().tlsCertificate(trusted.serverCertificate(), trusted.serverKey())
            .topic("consumer_cluster_tls", TopicMessageType.DELAY).build().start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static ConfigurableApplicationContext application(Path trust, Class<?>... beans) {
        Class<?>[] sources = new Class<?>[beans.length + 1];
        sources[0] = TestApplication.class;
        System.arraycopy(beans, 0, sources, 1, beans.length);
        return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
            .properties("mqs.ons.endpoints=" + cluster.endpoints(), "mqs.ons.ssl.bundle=cluster",
                "spring.ssl.bundle.pem.cluster.truststore.certificate=file:" + trust, "mqs.ons.timer-precision=100ms",
                "mqs.ons.producers.cluster-tls.topic=consumer_cluster_tls", "mqs.ons.producers.cluster-tls.delays=1s",
                "mqs.ons.consumer.shutdown-timeout=2s")
            .run();
    }

    @Test
    void messagesOnBothBrokersAndTheirRetriesTravelOverVerifiedChannels() {
        try (ConfigurableApplicationContext context = application(trusted.caCertificate(), Handler.class)) {
            Handler handler = context.getBean(Handler.class);
            DelayProducer producer = context.getBean("cluster-tls", DelayProducer.class);
            for (int i = 0; i < 20; i++) {
                producer.send(DelayMessage.of("tls-" + i).withKey("tls-" + i));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> handler.attempts.size() == 20
                && handler.attempts.values().stream().allMatch(attempts -> attempts.contains(1)));
            assertThat(handler.attempts.get("tls-7")).containsExactly(0, 1);
            assertThat(cluster.storedMessages(0, "consumer_cluster_tls")).as("broker 0").isPositive();
            assertThat(cluster.storedMessages(1, "consumer_cluster_tls")).as("broker 1").isPositive();
        }
    }

    @Test
    void aClientTrustingAnotherCaIsRefused() {
        assertThatThrownBy(() -> application(other.caCertificate(), Handler.class).close()).rootCause()
            .hasMessageContaining("SSL bundle 'cluster' (mqs.ons.ssl.bundle) does not trust the proxy at 127.0.0.1");
    }

    static class Handler {

        final Map<String, List<Integer>> attempts = new ConcurrentHashMap<>();

        @OnsListener(producer = "cluster-tls", group = "cluster-tls-group")
        boolean handle(String key, DeliveryContext context) {
            attempts.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(context.attempt());
            return context.attempt() >= 1;
        }

    }

}
