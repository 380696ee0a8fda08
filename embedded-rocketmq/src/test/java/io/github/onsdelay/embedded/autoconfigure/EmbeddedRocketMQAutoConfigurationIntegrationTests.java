package io.github.onsdelay.embedded.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.embedded.TopicMessageType;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/** Runs a real SpringApplication, since the server starts while its environment is prepared. */
class EmbeddedRocketMQAutoConfigurationIntegrationTests {

    @Test
    void enabledStartsTheServerBeforeBeansAndStopsItWithTheContext() {
        EmbeddedRocketMQBroker broker;
        try (ConfigurableApplicationContext context = application(
                "mqs.ons.embedded.enabled=true",
                "mqs.ons.embedded.topics.order_cancel=DELAY",
                "mqs.ons.embedded.topics.audit=NORMAL",
                "mqs.ons.embedded.max-delay=2h").run()) {
            broker = context.getBean(EmbeddedRocketMQBroker.class);

            assertThat(broker.isRunning()).isTrue();
            assertThat(context.getEnvironment().getProperty("mqs.ons.endpoints")).isEqualTo(broker.endpoints());
            assertThat(broker.topicMessageType("order_cancel")).isEqualTo(TopicMessageType.DELAY);
            assertThat(broker.topicMessageType("audit")).isEqualTo(TopicMessageType.NORMAL);
            assertThat(broker.maxDelay()).hasHours(2);
        }
        assertThat(broker.isRunning()).isFalse();
        assertThat(broker.storeDir()).doesNotExist();
    }

    @Test
    void disabledByDefault() {
        try (ConfigurableApplicationContext context = application().run()) {
            assertThat(context.getBeanNamesForType(EmbeddedRocketMQBroker.class)).isEmpty();
            assertThat(context.getEnvironment().getProperty("mqs.ons.endpoints")).isNull();
        }
    }

    @Test
    void invalidTimerPrecisionFailsAtStartupNamingTheProperty() {
        assertThatThrownBy(() -> application("mqs.ons.embedded.enabled=true",
                "mqs.ons.embedded.timer-precision=300ms").run())
            .hasMessageContaining("mqs.ons.embedded")
            .hasMessageContaining("Timer precision must be 100, 200, 500 or 1000 ms, was 300 ms");
    }

    private static SpringApplicationBuilder application(String... properties) {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .properties(properties);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

    }

}
