package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.onsdelay.core.OnsSendException;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.embedded.TopicMessageType;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.test.TestApplication;
import io.github.onsdelay.test.TestCertificates;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A proxy that presents a certificate issued by the test's own CA, for 127.0.0.1 and localhost, and asks its clients
 * to export their meters: a client whose SSL bundle trusts that CA sends and handles a retry; one that trusts another
 * CA, or expects a name the certificate lacks, fails its start or its first send, naming the bundle and the reason.
 */
class VerifiedTlsIntegrationTests {

    @TempDir
    static Path certificates;

    static TestCertificates trusted;

    static TestCertificates other;

    static EmbeddedRocketMQBroker broker;

    static ServerSocket metricsCollector;

    @BeforeAll
    static void start() throws Exception {
        trusted = TestCertificates.issue(certificates, "trusted");
        other = TestCertificates.issue(certificates, "other");
        // Where the proxy tells its clients to export their meters: it only has to exist.
        metricsCollector = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        broker = EmbeddedRocketMQBroker.builder().tlsCertificate(trusted.serverCertificate(), trusted.serverKey())
            .clientMetricsCollector("127.0.0.1:" + metricsCollector.getLocalPort())
            .timerFlushInterval(Duration.ofMinutes(1)).topic("consumer_verified_tls", TopicMessageType.DELAY).build()
            .start();
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
        metricsCollector.close();
    }

    private static ConfigurableApplicationContext application(Path trust, List<String> more, Class<?>... beans) {
        Class<?>[] sources = new Class<?>[beans.length + 1];
        sources[0] = TestApplication.class;
        System.arraycopy(beans, 0, sources, 1, beans.length);
        List<String> properties = new ArrayList<>(List.of("mqs.ons.endpoints=" + broker.endpoints(),
            "mqs.ons.ssl.bundle=proxy", "spring.ssl.bundle.pem.proxy.truststore.certificate=file:" + trust,
            "mqs.ons.timer-precision=100ms", "mqs.ons.producers.verified.topic=consumer_verified_tls",
            "mqs.ons.producers.verified.delays=1s"));
        properties.addAll(more);
        return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
            .properties(properties.toArray(String[]::new)).run();
    }

    @Test
    void aClientTrustingTheProxysCaSendsAndHandlesARetry() throws Exception {
        try (ConfigurableApplicationContext context = application(trusted.caCertificate(), List.of(), Handler.class)) {
            Handler handler = context.getBean(Handler.class);
            assertThat(context.getBean("verified", DelayProducer.class).send(DelayMessage.of("v-1").withKey("v-1"))
                .isSent()).isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> handler.attempts.contains(1));
            assertThat(handler.attempts).containsExactly(0, 1);
            // The proxy asked for the client's own meters; exporting them would open a channel that verifies
            // nothing, so none is opened (a client without a bundle opens it: see the next test).
            assertThat(metersExported(context.getBean(Producer.class))).isFalse();
        }
    }

    @Test
    void aClientWithoutABundleExportsItsMetersWhereTheProxyAsksUnverified() throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
                .properties("mqs.ons.endpoints=" + broker.endpoints(), "mqs.ons.ssl-enabled=true",
                    "mqs.ons.producers.verified.topic=consumer_verified_tls")
                .run()) {
            assertThat(context.getBean("verified", DelayProducer.class).send("unverified").isSent()).isTrue();
            Producer producer = context.getBean(Producer.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> metersExported(producer));
        }
    }

    @Test
    void aConsumerTrustingAnotherCaFailsStartUpNamingTheBundleAndTheReason() {
        assertThatThrownBy(() -> application(other.caCertificate(), List.of(), Handler.class).close())
            .rootCause()
            .hasMessageContaining("SSL bundle 'proxy' (mqs.ons.ssl.bundle) does not trust the proxy at 127.0.0.1")
            .hasMessageContaining("unable to find valid certification path");
    }

    @Test
    void aProducerTrustingAnotherCaFailsItsFirstSendNamingTheBundle() {
        try (ConfigurableApplicationContext context = application(other.caCertificate(), List.of())) {
            DelayProducer producer = context.getBean("verified", DelayProducer.class);
            assertThatExceptionOfType(OnsSendException.class).isThrownBy(() -> producer.send("never"))
                .withMessageContaining("TLS with the proxy failed: SSL bundle")
                .withMessageContaining("SSL bundle 'proxy' (mqs.ons.ssl.bundle) does not trust the proxy");
        }
    }

    @Test
    void aNameTheCertificateLacksFailsTheFirstSend() {
        try (ConfigurableApplicationContext context = application(trusted.caCertificate(),
                List.of("mqs.ons.ssl.server-name=proxy.example.com"))) {
            DelayProducer producer = context.getBean("verified", DelayProducer.class);
            assertThatExceptionOfType(OnsSendException.class).isThrownBy(() -> producer.send("never"))
                .withMessageContaining("does not trust the proxy at proxy.example.com (mqs.ons.ssl.server-name)")
                .withMessageContaining("No subject alternative DNS name matching proxy.example.com");
        }
    }

    @Test
    void aServerNameTheCertificateCarriesIsAccepted() {
        try (ConfigurableApplicationContext context = application(trusted.caCertificate(),
                List.of("mqs.ons.ssl.server-name=localhost"))) {
            assertThat(context.getBean("verified", DelayProducer.class).send("by-name").isSent()).isTrue();
        }
    }

    /** Whether the client's own meters export (over OTLP, to where the proxy asked): read off the client. */
    private static boolean metersExported(Producer producer) throws ReflectiveOperationException {
        Object client = producer;
        Field delegate = findField(client.getClass(), "delegate");
        if (delegate != null) {
            client = delegate.get(client);
        }
        Object meters = findField(client.getClass(), "clientMeterManager").get(client);
        return (Boolean) meters.getClass().getMethod("isEnabled").invoke(meters);
    }

    private static Field findField(Class<?> type, String name) {
        for (Class<?> current = type; current != null; current = current.getSuperclass()) {
            for (Field field : current.getDeclaredFields()) {
                if (field.getName().equals(name)) {
                    field.setAccessible(true);
                    return field;
                }
            }
        }
        return null;
    }

    static class Handler {

        final List<Integer> attempts = new CopyOnWriteArrayList<>();

        @OnsListener(producer = "verified", group = "verified-tls-group")
        boolean handle(String payload, DeliveryContext context) {
            if (!payload.equals("v-1")) {
                return true; // sent by another test of this class to the same topic
            }
            attempts.add(context.attempt());
            return context.attempt() >= 1;
        }

    }

}
