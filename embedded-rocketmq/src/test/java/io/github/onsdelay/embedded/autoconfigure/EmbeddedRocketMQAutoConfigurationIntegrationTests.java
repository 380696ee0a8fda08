package io.github.onsdelay.embedded.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import io.github.onsdelay.core.autoconfigure.OnsConnectionDetails;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.embedded.EmbeddedRocketMQConnectionDetails;
import io.github.onsdelay.embedded.TopicMessageType;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/** The server as an application's bean, started with the context and stopped with it. */
class EmbeddedRocketMQAutoConfigurationIntegrationTests {

    @Test
    void enabledStartsTheServerAsABeanThatConnectsTheClientAndStopsWithTheContext() {
        EmbeddedRocketMQBroker broker;
        try (ConfigurableApplicationContext context = application(
                "mqs.ons.embedded.enabled=true",
                "mqs.ons.embedded.topics.order_cancel=DELAY",
                "mqs.ons.embedded.topics.audit=NORMAL",
                "mqs.ons.embedded.max-delay=2h",
                "mqs.ons.embedded.timer-precision=200ms").run()) {
            broker = context.getBean(EmbeddedRocketMQBroker.class);

            assertThat(broker.isRunning()).isTrue();
            assertThat(broker.topicMessageType("order_cancel")).isEqualTo(TopicMessageType.DELAY);
            assertThat(broker.topicMessageType("audit")).isEqualTo(TopicMessageType.NORMAL);
            OnsConnectionDetails details = context.getBean(OnsConnectionDetails.class);
            assertThat(details).isInstanceOf(EmbeddedRocketMQConnectionDetails.class);
            assertThat(details.getEndpoints()).containsExactly(broker.endpoints());
            assertThat(details.getMaxDelay()).isEqualTo(Duration.ofHours(2));
            assertThat(details.getTimerPrecision()).isEqualTo(Duration.ofMillis(200));
            // The client connects to the server, not to mqs.ons.endpoints, which nothing rewrites.
            assertThat(context.getBean(ClientConfiguration.class).getEndpoints()).isEqualTo(broker.endpoints());
            assertThat(context.getEnvironment().getProperty("mqs.ons.endpoints")).isEqualTo("127.0.0.1:1");
        }
        assertThat(broker.isRunning()).isFalse();
        assertThat(broker.storeDir()).doesNotExist();
    }

    @Test
    void aChildContextClosingLeavesTheServerRunning() {
        SpringApplicationBuilder parent = application("mqs.ons.embedded.enabled=true");
        try (ConfigurableApplicationContext root = parent.run()) {
            EmbeddedRocketMQBroker broker = root.getBean(EmbeddedRocketMQBroker.class);
            ConfigurableApplicationContext child = parent.child(Child.class).web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF).run();
            child.close();

            assertThat(broker.isRunning()).isTrue();
        }
    }

    @Test
    void disabledByDefault() {
        try (ConfigurableApplicationContext context = application().run()) {
            assertThat(context.getBeanNamesForType(EmbeddedRocketMQBroker.class)).isEmpty();
        }
    }

    @Test
    void invalidTimerPrecisionFailsAtStartupNamingTheProperty() {
        assertThatThrownBy(() -> application("mqs.ons.embedded.enabled=true",
                "mqs.ons.embedded.timer-precision=300ms").run())
            .hasStackTraceContaining("Invalid mqs.ons.embedded configuration: Timer precision must be 100, 200, 500 or "
                + "1000 ms, was 300 ms");
    }

    private static SpringApplicationBuilder application(String... properties) {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .properties("mqs.ons.endpoints=127.0.0.1:1")
            .properties(properties);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

    }

    @Configuration(proxyBeanMethods = false)
    static class Child {

    }

}
