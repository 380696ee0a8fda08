package io.github.onsdelay.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.embedded.TopicMessageType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

/** A server of its own with authentication on: only requests signed with its key get through. */
class AuthenticationIntegrationTests {

    private static final String ACCESS_KEY = "ons-delay-app";

    private static final String SECRET_KEY = "s3cret-for-tests-only";

    static EmbeddedRocketMQBroker broker;

    @BeforeAll
    static void startServerWithAuthentication() {
        broker = EmbeddedRocketMQBroker.builder().authentication(ACCESS_KEY, SECRET_KEY)
            .topic("producer_auth", TopicMessageType.DELAY).build().start();
    }

    @AfterAll
    static void stopServer() {
        broker.close();
    }

    private static SpringApplicationBuilder application(String... credentials) {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
            .properties("mqs.ons.endpoints=" + broker.endpoints(), "mqs.ons.producers.signed.topic=producer_auth")
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
    void aWrongSecretKeyIsRefusedAtStartUpWithAClearError() {
        assertThatThrownBy(() -> application("mqs.ons.access-key=" + ACCESS_KEY, "mqs.ons.secret-key=wrong").run())
            .satisfies(failure -> {
                String message = NestedExceptionUtils.getMostSpecificCause(failure).getMessage();
                System.out.println("Wrong secret key: " + message);
                assertThat(message).doesNotContain(SECRET_KEY).doesNotContain("=wrong");
            })
            .hasStackTraceContaining("Cannot start the RocketMQ producer for mqs.ons.endpoints=")
            .hasStackTraceContaining("response-code=40100] check signature failed.");
    }

    @Test
    void noKeyIsRefused() {
        assertThatThrownBy(() -> application().run())
            .hasStackTraceContaining("Cannot start the RocketMQ producer for mqs.ons.endpoints=")
            .hasStackTraceContaining("response-code=40100] username cannot be null.");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

    }

}
