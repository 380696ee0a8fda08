package io.github.onsdelay.core.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.onsdelay.core.Fastjson2PayloadConverter;
import io.github.onsdelay.core.JacksonPayloadConverter;
import io.github.onsdelay.core.OnsConfigurationException;
import io.github.onsdelay.core.PayloadConverter;
import io.github.onsdelay.core.TimedMessageSender;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.producer.Producer;
import java.nio.file.Path;

import io.github.onsdelay.core.internal.VerifiedTlsClientServiceProvider;
import io.github.onsdelay.test.TestCertificates;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import tools.jackson.databind.json.JsonMapper;

/** No server runs here: creating the client must not need one. */
class OnsClientAutoConfigurationTests {

    /** Nothing listens there: the client is created without contacting it. */
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(OnsClientAutoConfiguration.class))
        .withPropertyValues("mqs.ons.endpoints=127.0.0.1:1");

    @Nested
    class Beans {

        @Test
        void clientPartsAreCreatedOnceWithoutAServer() {
            runner.run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(ClientConfiguration.class);
                assertThat(context).hasSingleBean(Producer.class);
                assertThat(context).hasSingleBean(TimedMessageSender.class);
                assertThat(context).getBean(PayloadConverter.class).isInstanceOf(Fastjson2PayloadConverter.class);
                assertThat(context.getBean(OnsConnectionDetails.class)).isInstanceOf(PropertiesOnsConnectionDetails.class);
            });
        }

        @Test
        void connectionDetailsComeFromTheProperties() {
            runner.withPropertyValues("mqs.ons.endpoints=10.0.0.1:8081, 10.0.0.2:8081", "mqs.ons.namespace=prod",
                    "mqs.ons.timer-precision=200ms", "mqs.ons.max-delay=7d")
                .run(context -> {
                    OnsConnectionDetails details = context.getBean(OnsConnectionDetails.class);
                    assertThat(details.getEndpoints()).containsExactly("10.0.0.1:8081", "10.0.0.2:8081");
                    assertThat(details.getNamespace()).isEqualTo("prod");
                    assertThat(details.getTimerPrecision()).isEqualTo(Duration.ofMillis(200));
                    assertThat(details.getMaxDelay()).isEqualTo(Duration.ofDays(7));
                    assertThat(context.getBean(ClientConfiguration.class).getEndpoints())
                        .isEqualTo("10.0.0.1:8081;10.0.0.2:8081");
                    assertThat(context.getBean(TimedMessageSender.class).maxDelay()).isEqualTo(Duration.ofDays(7));
                });
        }

        @Test
        void aConnectionDetailsBeanReplacesTheProperties() {
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(OnsClientAutoConfiguration.class))
                .withUserConfiguration(DetailsConfig.class)
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(PropertiesOnsConnectionDetails.class);
                    assertThat(context.getBean(ClientConfiguration.class).getEndpoints()).isEqualTo("192.0.2.7:8081");
                    assertThat(context.getBean(TimedMessageSender.class).maxDelay()).isEqualTo(Duration.ofHours(3));
                });
        }

        @Test
        void backsOffWithoutTheRocketMQClient() {
            runner.withClassLoader(new FilteredClassLoader(Producer.class))
                .run(context -> assertThat(context).doesNotHaveBean(TimedMessageSender.class));
        }

    }

    @Nested
    class Customization {

        @Test
        void customizersAreApplied() {
            runner.withUserConfiguration(CustomizerConfig.class).run(context -> {
                CustomizerConfig config = context.getBean(CustomizerConfig.class);
                assertThat(config.clientCustomized).hasValue(1);
                assertThat(config.producerCustomized).hasValue(1);
                assertThat(context.getBean(ClientConfiguration.class).getRequestTimeout())
                    .isEqualTo(Duration.ofSeconds(7));
            });
        }

        @Test
        void userConverterAndClockAreUsed() {
            runner.withUserConfiguration(ConverterAndClockConfig.class).run(context -> {
                assertThat(context.getBean(PayloadConverter.class)).isNotInstanceOf(Fastjson2PayloadConverter.class);
                assertThat(context.getBean(TimedMessageSender.class).clock().instant())
                    .isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
            });
        }

        @Test
        void propertiesNeverShowSecrets() {
            runner.withPropertyValues("mqs.ons.access-key=AK-visible-nowhere", "mqs.ons.secret-key=SK-visible-nowhere")
                .run(context -> {
                    String text = context.getBean(OnsProperties.class).toString()
                        + context.getBean(OnsConnectionDetails.class);
                    assertThat(text).doesNotContain("AK-visible-nowhere").doesNotContain("SK-visible-nowhere");
                    assertThat(context.getBean(OnsProperties.class).toString()).contains("accessKey=******");
                });
        }

    }

    @Nested
    class BadConfiguration {

        @Test
        void noEndpoints() {
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(OnsClientAutoConfiguration.class))
                .run(context -> assertFailure(context.getStartupFailure(), "mqs.ons.endpoints is not set"));
        }

        @Test
        void endpointThatIsNotHostAndPort() {
            runner.withPropertyValues("mqs.ons.endpoints=localhost")
                .run(context -> assertFailure(context.getStartupFailure(),
                    "mqs.ons.endpoints[0]='localhost' is not host:port"));
        }

        @Test
        void accessKeyWithoutSecretKey() {
            runner.withPropertyValues("mqs.ons.access-key=AK-half").run(context -> {
                assertFailure(context.getStartupFailure(), "mqs.ons.access-key is set but mqs.ons.secret-key is not: set both");
                assertThat(context.getStartupFailure()).rootCause().message().doesNotContain("AK-half");
            });
        }

        @Test
        void secretKeyWithoutAccessKey() {
            runner.withPropertyValues("mqs.ons.secret-key=SK-half").run(context -> {
                assertFailure(context.getStartupFailure(), "mqs.ons.secret-key is set but mqs.ons.access-key is not: set both");
                assertThat(context.getStartupFailure()).rootCause().message().doesNotContain("SK-half");
            });
        }

        @Test
        void nonPositiveMaxDelayAndTimerPrecision() {
            runner.withPropertyValues("mqs.ons.max-delay=0s", "mqs.ons.timer-precision=-1s")
                .run(context -> {
                    assertFailure(context.getStartupFailure(), "mqs.ons.max-delay=PT0S must be positive");
                    assertFailure(context.getStartupFailure(), "mqs.ons.timer-precision=PT-1S must be positive");
                });
        }

        @Test
        void negativeDeliveryLead() {
            runner.withPropertyValues("mqs.ons.delivery-lead=-100ms")
                .run(context -> assertFailure(context.getStartupFailure(),
                    "mqs.ons.delivery-lead=PT-0.1S must be zero (no lead) or positive"));
        }

        @Test
        void theFailureAnalyzerNamesWhatToCorrect() {
            runner.withPropertyValues("mqs.ons.endpoints=localhost").run(context -> {
                OnsConfigurationException cause = (OnsConfigurationException) NestedExceptionUtils
                    .getMostSpecificCause(context.getStartupFailure());
                FailureAnalysis analysis = new OnsConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
                assertThat(analysis.getDescription()).isEqualTo(cause.getMessage());
                assertThat(analysis.getAction()).contains("the property (under mqs.ons");
            });
        }

        private static void assertFailure(Throwable failure, String expected) {
            assertThat(failure).isNotNull();
            assertThat(NestedExceptionUtils.getMostSpecificCause(failure)).hasMessageContaining(expected);
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class DetailsConfig {

        @Bean
        OnsConnectionDetails myConnection() {
            return new OnsConnectionDetails() {
                @Override
                public List<String> getEndpoints() {
                    return List.of("192.0.2.7:8081");
                }

                @Override
                public Duration getMaxDelay() {
                    return Duration.ofHours(3);
                }
            };
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class CustomizerConfig {

        final AtomicInteger clientCustomized = new AtomicInteger();

        final AtomicInteger producerCustomized = new AtomicInteger();

        @Bean
        OnsClientConfigurationCustomizer requestTimeoutCustomizer() {
            return builder -> {
                clientCustomized.incrementAndGet();
                builder.setRequestTimeout(Duration.ofSeconds(7));
            };
        }

        @Bean
        OnsProducerBuilderCustomizer maxAttemptsCustomizer() {
            return builder -> {
                producerCustomized.incrementAndGet();
                builder.setMaxAttempts(2);
            };
        }

    }

    @Nested
    class TimeScaleSettings {

        @Test
        void aTimeScaleAgainstAServerOtherThanTheEmbeddedOneFailsStartUpNamingTheProperty() {
            runner.withPropertyValues("mqs.ons.time-scale=3600")
                .run(context -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessageContaining("mqs.ons.time-scale=3600.0 divides every delay of every producer, for tests")
                    .hasMessageContaining("mqs.ons.time-scale-acknowledged=true"));
        }

        @Test
        void anAcknowledgedTimeScaleDividesTheSendersDelaysAndHopHorizon() {
            runner.withPropertyValues("mqs.ons.time-scale=3600", "mqs.ons.time-scale-acknowledged=true")
                .run(context -> {
                    TimedMessageSender sender = context.getBean(TimedMessageSender.class);
                    assertThat(sender.timeScale().factor()).isEqualTo(3600);
                    assertThat(sender.hopHorizon()).isEqualTo(Duration.ofSeconds(24));
                    assertThat(sender.timeScale().scale(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(1));
                });
        }

        @Test
        void aTimeScaleBelowOneFailsStartUp() {
            runner.withPropertyValues("mqs.ons.time-scale=0.5", "mqs.ons.time-scale-acknowledged=true")
                .run(context -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessageContaining("mqs.ons.time-scale=0.5 must be a number of at least 1"));
        }

        @Test
        void realTimeByDefault() {
            runner.run(context -> {
                assertThat(context.getBean(TimedMessageSender.class).timeScale().isScaled()).isFalse();
                assertThat(context.getBean(TimedMessageSender.class).hopHorizon()).isEqualTo(Duration.ofDays(1));
            });
        }

    }

    @Nested
    class PayloadFormat {

        @Test
        void jacksonConvertsWithTheApplicationsJsonMapper() {
            runner.withPropertyValues("mqs.ons.payload-format=jackson")
                .withBean(JsonMapper.class, () -> JsonMapper.builder().build())
                .run(context -> assertThat(context).getBean(PayloadConverter.class)
                    .isInstanceOf(JacksonPayloadConverter.class));
        }

        @Test
        void jacksonWithoutAJsonMapperFailsStartUpNamingTheProperty() {
            runner.withPropertyValues("mqs.ons.payload-format=jackson")
                .run(context -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessageContaining("mqs.ons.payload-format=jackson converts with the application's JsonMapper, "
                        + "and there is no single JsonMapper bean"));
        }

        @Test
        void jacksonWithoutJackson3OnTheClassPathFailsStartUpNamingTheProperty() {
            runner.withPropertyValues("mqs.ons.payload-format=jackson")
                .withClassLoader(new FilteredClassLoader("tools.jackson."))
                .run(context -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessageContaining("mqs.ons.payload-format=jackson needs Jackson 3 on the class path"));
        }

        @Test
        void anUnknownFormatFailsStartUpNamingTheProperty() {
            runner.withPropertyValues("mqs.ons.payload-format=gson")
                .run(context -> assertThat(context.getStartupFailure()).isNotNull()
                    .hasStackTraceContaining("mqs.ons.payload-format"));
        }

        @Test
        void fastjson2IsTheDefault() {
            runner.run(context -> assertThat(context).getBean(PayloadConverter.class)
                .isInstanceOf(Fastjson2PayloadConverter.class));
        }

    }

    @Nested
    @ExtendWith(OutputCaptureExtension.class)
    class VerifiedTlsSettings {

        private final ApplicationContextRunner withSsl = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, OnsClientAutoConfiguration.class))
            .withPropertyValues("mqs.ons.endpoints=127.0.0.1:1");

        @Test
        void aBundleThatDoesNotExistFailsStartUpNamingTheProperty() {
            withSsl.withPropertyValues("mqs.ons.ssl.bundle=missing")
                .run(context -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessageContaining("mqs.ons.ssl.bundle=missing names no SSL bundle: define it under "
                        + "spring.ssl.bundle.pem.missing"));
        }

        @Test
        void aBundleGivesTheVerifyingProviderAndTurnsTlsOn(@TempDir Path directory) {
            TestCertificates certificates = TestCertificates.issue(directory, "config");
            withSsl.withPropertyValues("mqs.ons.ssl.bundle=proxy",
                    "spring.ssl.bundle.pem.proxy.truststore.certificate=file:" + certificates.caCertificate())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(ClientServiceProvider.class))
                        .isInstanceOf(VerifiedTlsClientServiceProvider.class);
                    assertThat(context.getBean(ClientConfiguration.class).isSslEnabled()).isTrue();
                    assertThat(context.getBean(OnsConnectionDetails.class).isSslEnabled()).isTrue();
                });
        }

        @Test
        void aBundleWithTheApplicationsOwnProviderFailsStartUp(@TempDir Path directory) {
            TestCertificates certificates = TestCertificates.issue(directory, "own");
            withSsl.withPropertyValues("mqs.ons.ssl.bundle=proxy",
                    "spring.ssl.bundle.pem.proxy.truststore.certificate=file:" + certificates.caCertificate())
                .withBean(ClientServiceProvider.class, ClientServiceProvider::loadService)
                .run(context -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessageContaining("mqs.ons.ssl.bundle=proxy is set, but the application's own "
                        + "ClientServiceProvider bean"));
        }

        @Test
        void aBundleWithoutTruststoreFailsStartUp(@TempDir Path directory) {
            TestCertificates certificates = TestCertificates.issue(directory, "keyonly");
            withSsl.withPropertyValues("mqs.ons.ssl.bundle=client",
                    "spring.ssl.bundle.pem.client.keystore.certificate=file:" + certificates.serverCertificate(),
                    "spring.ssl.bundle.pem.client.keystore.private-key=file:" + certificates.serverKey())
                .run(context -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessageContaining("SSL bundle 'client' (mqs.ons.ssl.bundle) has no truststore"));
        }

        @Test
        void aServerNameThatIsNoHostNameFailsStartUp(@TempDir Path directory) {
            TestCertificates certificates = TestCertificates.issue(directory, "name");
            withSsl.withPropertyValues("mqs.ons.ssl.bundle=proxy", "mqs.ons.ssl.server-name=proxy example",
                    "spring.ssl.bundle.pem.proxy.truststore.certificate=file:" + certificates.caCertificate())
                .run(context -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessageContaining("mqs.ons.ssl.server-name=proxy example is not a host name"));
        }

        @Test
        void tlsWithoutABundleWarnsThatTheServerIsNotAuthenticated(CapturedOutput output) {
            withSsl.withPropertyValues("mqs.ons.ssl-enabled=true").run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(ClientServiceProvider.class))
                    .isNotInstanceOf(VerifiedTlsClientServiceProvider.class);
            });
            assertThat(output).contains("is on, but the proxy is not authenticated")
                .contains("Set mqs.ons.ssl.bundle");
        }

        @Test
        void plaintextDoesNotWarn(CapturedOutput output) {
            withSsl.run(context -> assertThat(context).hasNotFailed());
            assertThat(output).doesNotContain("proxy is not authenticated");
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class ConverterAndClockConfig {

        @Bean
        PayloadConverter customConverter() {
            return new PayloadConverter() {
                @Override
                public byte[] toBody(Object payload) {
                    return payload.toString().getBytes();
                }

                @Override
                public Object fromBody(byte[] body, java.lang.reflect.Type type) {
                    return new String(body);
                }
            };
        }

        @Bean
        Clock fixedClock() {
            return Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
        }

    }

}
