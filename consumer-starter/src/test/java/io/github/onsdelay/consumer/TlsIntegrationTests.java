package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.onsdelay.core.OnsSendException;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.embedded.TopicMessageType;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A proxy that accepts TLS only, with the certificate it generated: TLS clients work, plaintext ones fail clearly. */
class TlsIntegrationTests {

    static EmbeddedRocketMQBroker broker;

    @BeforeAll
    static void start() {
        broker = EmbeddedRocketMQBroker.builder().tls(true).timerFlushInterval(Duration.ofMinutes(1))
            .topic("consumer_tls", TopicMessageType.DELAY).build().start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static ConfigurableApplicationContext application(boolean ssl, Class<?>... beans) {
        Class<?>[] sources = new Class<?>[beans.length + 1];
        sources[0] = TestApplication.class;
        System.arraycopy(beans, 0, sources, 1, beans.length);
        return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
            .properties("mqs.ons.endpoints=" + broker.endpoints(), "mqs.ons.ssl-enabled=" + ssl,
                "mqs.ons.timer-precision=100ms", "mqs.ons.producers.tls.topic=consumer_tls",
                "mqs.ons.producers.tls.delays=1s")
            .run();
    }

    @Test
    void aSendAndAHandledRetryOverTls() {
        try (ConfigurableApplicationContext context = application(true, Handler.class)) {
            Handler handler = context.getBean(Handler.class);
            assertThat(context.getBean("tls", DelayProducer.class).send(DelayMessage.of("t-1").withKey("t-1")).isSent())
                .isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> handler.attempts.contains(1));
            assertThat(handler.attempts).containsExactly(0, 1);
        }
    }

    @Test
    void aClientWithoutTlsFailsWithAnErrorThatSaysWhatToCheck() {
        try (ConfigurableApplicationContext context = application(false)) {
            DelayProducer producer = context.getBean("tls", DelayProducer.class);
            assertThatExceptionOfType(OnsSendException.class).isThrownBy(() -> producer.send("plain"))
                .withMessageContaining("Producer 'tls' could not send to topic 'consumer_tls'")
                .withMessageContaining("UNAVAILABLE")
                .withMessageContaining("mqs.ons.ssl-enabled matches whether it requires TLS");
        }
    }

    static class Handler {

        final List<Integer> attempts = new CopyOnWriteArrayList<>();

        @OnsListener(producer = "tls", group = "tls-group")
        boolean handle(String key, DeliveryContext context) {
            attempts.add(context.attempt());
            return context.attempt() >= 1;
        }

    }

}
