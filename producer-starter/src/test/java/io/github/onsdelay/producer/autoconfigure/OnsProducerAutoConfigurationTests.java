package io.github.onsdelay.producer.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.producer.AbstractProducer;
import io.github.onsdelay.producer.DefaultDelayProducer;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.producer.Fastjson2PayloadConverter;
import io.github.onsdelay.producer.PayloadConverter;
import io.github.onsdelay.producer.internal.DelayMessageSender;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

@EmbeddedRocketMQ(topics = {"autoconfig_a", "autoconfig_b", "report_push"})
class OnsProducerAutoConfigurationTests {

    ApplicationContextRunner runner;

    @BeforeEach
    void runner(EmbeddedRocketMQBroker broker) {
        runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(OnsProducerAutoConfiguration.class))
            .withPropertyValues("mqs.ons.endpoints=" + broker.endpoints());
    }

    @Nested
    class YmlProducers {

        @Test
        void oneBeanPerEntryNamedAfterItsKey() {
            runner.withPropertyValues(
                    "mqs.ons.producers.order-cancel.topic=autoconfig_a",
                    "mqs.ons.producers.order-cancel.initial-delay=30m",
                    "mqs.ons.producers.clean-report-push.topic=autoconfig_b",
                    "mqs.ons.producers.clean-report-push.tag=clean",
                    "mqs.ons.producers.clean-report-push.delays=3600, 3h, 1d, 3d",
                    "mqs.ons.producers.clean-report-push.send-timeout=5s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBeansOfType(DelayProducer.class)).containsOnlyKeys("order-cancel",
                        "clean-report-push");
                    DefaultDelayProducer push = context.getBean("clean-report-push", DefaultDelayProducer.class);
                    assertThat(push.getName()).isEqualTo("clean-report-push");
                    assertThat(push.getTopic()).isEqualTo("autoconfig_b");
                    assertThat(push.getTag()).isEqualTo("clean");
                    // A plain number means seconds, as the original's delay-second lists did.
                    assertThat(push.getSchedule().delays()).containsExactly(Duration.ofHours(1), Duration.ofHours(3),
                        Duration.ofDays(1), Duration.ofDays(3));
                    assertThat(push.getSendTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(context.getBean("order-cancel", DelayProducer.class).getSchedule().initialDelay())
                        .isEqualTo(Duration.ofMinutes(30));
                });
        }

        @Test
        void clientPartsAreCreatedOnceAtStartup() {
            runner.withPropertyValues("mqs.ons.producers.a.topic=autoconfig_a").run(context -> {
                assertThat(context).hasSingleBean(ClientConfiguration.class);
                assertThat(context).hasSingleBean(Producer.class);
                assertThat(context).hasSingleBean(DelayMessageSender.class);
                assertThat(context).getBean(PayloadConverter.class).isInstanceOf(Fastjson2PayloadConverter.class);
            });
        }

        @Test
        void noProducersStillGivesAClient() {
            runner.run(context -> assertThat(context).hasSingleBean(Producer.class)
                .doesNotHaveBean(DelayProducer.class));
        }

        @Test
        void backsOffWithoutTheRocketMQClient() {
            runner.withClassLoader(new FilteredClassLoader(Producer.class))
                .run(context -> assertThat(context).doesNotHaveBean(DelayMessageSender.class));
        }

    }

    @Nested
    class UserSubclasses {

        @Test
        void subclassCoversItsKeyAndNoDuplicateIsCreated() {
            runner.withUserConfiguration(SubclassConfig.class)
                .withPropertyValues(
                    "mqs.ons.producers.clean-report-push.topic=report_push",
                    "mqs.ons.producers.clean-report-push.delays=1h, 3h",
                    "mqs.ons.producers.other.topic=autoconfig_a")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBeansOfType(DelayProducer.class)).hasSize(2)
                        .doesNotContainKey("clean-report-push");
                    CleanReportPushEventProducer producer = context.getBean(CleanReportPushEventProducer.class);
                    assertThat(producer.getName()).isEqualTo("clean-report-push");
                    assertThat(producer.getSchedule().delays()).containsExactly(Duration.ofHours(1), Duration.ofHours(3));
                    assertThat(context.getBean("other")).isInstanceOf(DefaultDelayProducer.class);
                });
        }

        @Test
        void subclassOwnSettingsAreKnownKeys() {
            runner.withUserConfiguration(SubclassConfig.class)
                .withPropertyValues(
                    "mqs.ons.producers.clean-report-push.topic=report_push",
                    "mqs.ons.producers.clean-report-push.partner-url=https://partner.example/push")
                .run(context -> assertThat(context.getBean(CleanReportPushEventProducer.class).getPartnerUrl())
                    .isEqualTo("https://partner.example/push"));
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
                DelayMessageSender sender = context.getBean(DelayMessageSender.class);
                assertThat(sender.converter()).isSameAs(context.getBean(PayloadConverter.class))
                    .isNotInstanceOf(Fastjson2PayloadConverter.class);
                assertThat(sender.clock().instant()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
            });
        }

        @Test
        void propertiesNeverShowSecrets() {
            runner.withPropertyValues("mqs.ons.access-key=AK-visible-nowhere", "mqs.ons.secret-key=SK-visible-nowhere")
                .run(context -> {
                    String text = context.getBean(OnsProperties.class).toString();
                    assertThat(text).doesNotContain("AK-visible-nowhere").doesNotContain("SK-visible-nowhere")
                        .contains("accessKey=******");
                });
        }

    }

    @Nested
    class BadConfiguration {

        @Test
        void noEndpoints() {
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(OnsProducerAutoConfiguration.class))
                .run(context -> assertFailure(context.getStartupFailure(), "mqs.ons.endpoints is not set"));
        }

        @Test
        void endpointThatIsNotHostAndPort() {
            runner.withPropertyValues("mqs.ons.endpoints=localhost")
                .run(context -> assertFailure(context.getStartupFailure(),
                    "mqs.ons.endpoints[0]='localhost' is not host:port"));
        }

        @Test
        void producerWithoutTopic() {
            runner.withPropertyValues("mqs.ons.producers.order-cancel.tag=cancel")
                .run(context -> assertFailure(context.getStartupFailure(),
                    "mqs.ons.producers.order-cancel.topic is not set"));
        }

        @Test
        void negativeDelay() {
            runner.withPropertyValues("mqs.ons.producers.p.topic=autoconfig_a", "mqs.ons.producers.p.delays=10s, -5s")
                .run(context -> assertFailure(context.getStartupFailure(),
                    "mqs.ons.producers.p.delays[1]=PT-5S must be positive"));
        }

        @Test
        void zeroLengthDelay() {
            runner.withPropertyValues("mqs.ons.producers.p.topic=autoconfig_a", "mqs.ons.producers.p.delays=0")
                .run(context -> assertFailure(context.getStartupFailure(),
                    "mqs.ons.producers.p.delays[0]=PT0S must be positive"));
        }

        @Test
        void tagWithOrSyntax() {
            runner.withPropertyValues("mqs.ons.producers.p.topic=autoconfig_a", "mqs.ons.producers.p.tag=a||b")
                .run(context -> assertFailure(context.getStartupFailure(),
                    "mqs.ons.producers.p.tag='a||b' is not a tag"));
        }

        @Test
        void tagWithWildcard() {
            runner.withPropertyValues("mqs.ons.producers.p.topic=autoconfig_a", "mqs.ons.producers.p.tag=*")
                .run(context -> assertFailure(context.getStartupFailure(), "mqs.ons.producers.p.tag='*' is not a tag"));
        }

        @Test
        void unknownKeyUnderAProducer() {
            runner.withPropertyValues("mqs.ons.producers.p.topic=autoconfig_a", "mqs.ons.producers.p.delay-seconds=60")
                .run(context -> assertFailure(context.getStartupFailure(),
                    "mqs.ons.producers.p.delay-seconds is not a setting of a producer; known: delays, initial-delay, "
                        + "send-timeout, tag, topic"));
        }

        @Test
        void negativeInitialDelay() {
            runner.withPropertyValues("mqs.ons.producers.p.topic=autoconfig_a", "mqs.ons.producers.p.initial-delay=-1s")
                .run(context -> assertFailure(context.getStartupFailure(),
                    "mqs.ons.producers.p.initial-delay=PT-1S must be zero or positive"));
        }

        @Test
        void accessKeyWithoutSecretKey() {
            runner.withPropertyValues("mqs.ons.access-key=AK-half")
                .run(context -> {
                    assertFailure(context.getStartupFailure(),
                        "mqs.ons.access-key is set but mqs.ons.secret-key is not: set both");
                    assertThat(context.getStartupFailure()).rootCause().message().doesNotContain("AK-half");
                });
        }

        @Test
        void secretKeyWithoutAccessKey() {
            runner.withPropertyValues("mqs.ons.secret-key=SK-half")
                .run(context -> {
                    assertFailure(context.getStartupFailure(),
                        "mqs.ons.secret-key is set but mqs.ons.access-key is not: set both");
                    assertThat(context.getStartupFailure()).rootCause().message().doesNotContain("SK-half");
                });
        }

        @Test
        void nonPositiveMaxDelay() {
            runner.withPropertyValues("mqs.ons.max-delay=0s")
                .run(context -> assertFailure(context.getStartupFailure(), "mqs.ons.max-delay=PT0S must be positive"));
        }

        private static void assertFailure(Throwable failure, String expected) {
            assertThat(failure).isNotNull();
            assertThat(NestedExceptionUtils.getMostSpecificCause(failure)).hasMessageContaining(expected);
        }

    }

    @ConfigurationProperties("mqs.ons.producers.clean-report-push")
    static class CleanReportPushEventProducer extends AbstractProducer {

        private String partnerUrl = "";

        public String getPartnerUrl() {
            return partnerUrl;
        }

        public void setPartnerUrl(String partnerUrl) {
            this.partnerUrl = partnerUrl;
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class SubclassConfig {

        @Bean
        CleanReportPushEventProducer cleanReportPushEventProducer() {
            return new CleanReportPushEventProducer();
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
