package io.github.onsdelay.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.core.OnsConfigurationException;
import io.github.onsdelay.core.autoconfigure.OnsProperties;
import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Access and secret keys never reach a log line, a start-up report or a toString. The embedded server runs
 * without authentication, so it accepts the signed requests without checking them (see the README).
 */
@EmbeddedRocketMQ(topics = "producer_secrets")
@ExtendWith(OutputCaptureExtension.class)
class SecretsIntegrationTests {

    private static final String ACCESS_KEY = "AKIDsecretsTestAccess7f3a";

    private static final String SECRET_KEY = "SKsecretsTestSecret9c1e4b";

    @Test
    void keysNeverAppearInLogsOrToString(EmbeddedRocketMQBroker broker, CapturedOutput output) throws IOException {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
                .web(WebApplicationType.NONE)
                .properties("mqs.ons.endpoints=" + broker.endpoints(), "mqs.ons.access-key=" + ACCESS_KEY,
                    "mqs.ons.secret-key=" + SECRET_KEY, "mqs.ons.producers.signed.topic=producer_secrets",
                    "logging.level.io.github.onsdelay=TRACE", "logging.level.org.springframework.boot.context=DEBUG")
                .run()) {
            DelayProducer producer = context.getBean("signed", DelayProducer.class);
            assertThat(producer.send("signed message").isSent()).isTrue();
            assertThat(context.getBean(OnsProperties.class).toString())
                .doesNotContain(ACCESS_KEY).doesNotContain(SECRET_KEY);
            assertThat(producer.toString()).doesNotContain(ACCESS_KEY).doesNotContain(SECRET_KEY);
        }

        assertThat(output.getAll()).contains("Started").doesNotContain(ACCESS_KEY)
            .doesNotContain(SECRET_KEY);
        // rocketmq-client-java's own log files, under rocketmq.log.root (set by the build).
        Path clientLogs = Path.of(System.getProperty("rocketmq.log.root", "target/rocketmq-client-logs"));
        if (Files.isDirectory(clientLogs)) {
            try (Stream<Path> files = Files.walk(clientLogs)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String text = Files.readString(file, StandardCharsets.ISO_8859_1);
                    assertThat(text).as(file.toString()).doesNotContain(ACCESS_KEY).doesNotContain(SECRET_KEY);
                }
            }
        }
    }

    @Test
    void aHalfSetKeyFailsStartUpWithoutPrintingIt(EmbeddedRocketMQBroker broker, CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .properties("mqs.ons.endpoints=" + broker.endpoints(), "mqs.ons.access-key=" + ACCESS_KEY)
                .run())
            .hasRootCauseInstanceOf(OnsConfigurationException.class);

        // Spring Boot's start-up report, written by the failure analyzer, names the properties, not the key.
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
            .contains("mqs.ons.access-key is set but mqs.ons.secret-key is not")
            .contains("Correct what the message names")
            .doesNotContain(ACCESS_KEY);
    }

}
