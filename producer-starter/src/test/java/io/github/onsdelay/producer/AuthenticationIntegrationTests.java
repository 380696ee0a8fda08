package io.github.onsdelay.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.core.OnsSendException;
import io.github.onsdelay.embedded.TopicMessageType;
import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A server of its own with authentication on: only requests signed with its key get through. The client
 * connects at its first send, so a wrong key fails that send (a listener fails start-up instead).
 */
class AuthenticationIntegrationTests {

    private static final String ACCESS_KEY = "ons-delay-app";

    private static final String SECRET_KEY = "s3cret-for-tests-only";

    static EmbeddedRocketMQBroker broker;

    @BeforeAll
    static void startServerWithAuthentication() {
        broker = EmbeddedRocketMQBroker.builder().authentication(ACCESS_KEY, SECRET_KEY).timerFlushInterval(Duration.ofMinutes(1))
            .topic("producer_auth", TopicMessageType.DELAY).build().start();
    }

    @AfterAll
    static void stopServer() {
        broker.close();
    }

    private static SpringApplicationBuilder application(String... credentials) {
        return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
            .properties("mqs.ons.endpoints=" + broker.endpoints(), "mqs.ons.producers.signed.topic=producer_auth",
                // A fresh client's first send also opens the connection and reads the route; under the whole
                // build that took over the default 3 s once, which would hide the refusal this class checks.
                "mqs.ons.producers.signed.send-timeout=15s")
            .properties(credentials);
    }

    @Test
    void theRightKeyIsAccepted() {
        try (ConfigurableApplicationContext context = application("mqs.ons.access-key=" + ACCESS_KEY,
                "mqs.ons.secret-key=" + SECRET_KEY).run()) {
            assertThat(context.getBean("signed", DelayProducer.class).send("signed").isSent()).isTrue();
        }
    }

    @Test
    void aWrongSecretKeyIsRefusedAtTheFirstSendWithAClearError() {
        try (ConfigurableApplicationContext context = application("mqs.ons.access-key=" + ACCESS_KEY,
                "mqs.ons.secret-key=wrong").run()) {
            DelayProducer producer = context.getBean("signed", DelayProducer.class);
            assertThatThrownBy(() -> producer.send("refused"))
                .isInstanceOf(OnsSendException.class)
                .hasMessageStartingWith("Producer 'signed' could not send to topic 'producer_auth': ")
                .hasMessageContaining("response-code=40100] check signature failed.")
                .satisfies(failure -> assertThat(failure.getMessage()).doesNotContain(SECRET_KEY).doesNotContain("=wrong"));
        }
    }

    @Test
    void noKeyIsRefusedAtTheFirstSend() {
        try (ConfigurableApplicationContext context = application().run()) {
            assertThatThrownBy(() -> context.getBean("signed", DelayProducer.class).send("refused"))
                .isInstanceOf(OnsSendException.class)
                .hasMessageContaining("response-code=40100] username cannot be null.");
        }
    }

}
