package io.github.onsdelay.producer.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.github.onsdelay.core.RetrySchedule;
import io.github.onsdelay.core.autoconfigure.OnsClientAutoConfiguration;
import io.github.onsdelay.producer.AbstractProducer;
import io.github.onsdelay.producer.DefaultDelayProducer;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.producer.OnsProducerRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

/** No server runs here: producers are created without one. */
class OnsProducerAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(OnsClientAutoConfiguration.class, OnsProducerAutoConfiguration.class))
        .withPropertyValues("mqs.ons.endpoints=127.0.0.1:1");

    @Nested
    class YmlProducers {

        @Test
        void oneBeanPerEntryNamedAfterItsKey() {
            runner.withPropertyValues(
                    "mqs.ons.producers.order-cancel.topic=order_cancel",
                    "mqs.ons.producers.order-cancel.initial-delay=30m",
                    "mqs.ons.producers.clean-report-push.topic=report_push",
                    "mqs.ons.producers.clean-report-push.tag=clean",
                    "mqs.ons.producers.clean-report-push.delays=3600, 3h, 1d, 3d",
                    "mqs.ons.producers.clean-report-push.send-timeout=5s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBeansOfType(DelayProducer.class)).containsOnlyKeys("order-cancel",
                        "clean-report-push");
                    DelayProducer push = context.getBean("clean-report-push", DelayProducer.class);
                    assertThat(push).isInstanceOf(DefaultDelayProducer.class);
                    assertThat(push.getName()).isEqualTo("clean-report-push");
                    assertThat(push.getSettings().topic()).isEqualTo("report_push");
                    assertThat(push.getSettings().tag()).isEqualTo("clean");
                    // A plain number means seconds, as the original's delay-second lists did.
                    assertThat(push.getSchedule().delays()).containsExactly(Duration.ofHours(1), Duration.ofHours(3),
                        Duration.ofDays(1), Duration.ofDays(3));
                    assertThat(push.getSettings().sendTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(context.getBean("order-cancel", DelayProducer.class).getSchedule().initialDelay())
                        .isEqualTo(Duration.ofMinutes(30));
                    assertThat(context.getBean(OnsProducerRegistry.class).getProducer("order-cancel"))
                        .isSameAs(context.getBean("order-cancel"));
                });
        }

        @Test
        void theLeadIsTheTimerPrecisionPlusAMarginUnlessSet() {
            runner.withPropertyValues("mqs.ons.timer-precision=100ms",
                    "mqs.ons.producers.a.topic=a", "mqs.ons.producers.b.topic=b",
                    "mqs.ons.producers.b.delivery-lead=0", "mqs.ons.producers.c.topic=c",
                    "mqs.ons.producers.c.delivery-lead=2s")
                .run(context -> {
                    OnsProducerRegistry producers = context.getBean(OnsProducerRegistry.class);
                    assertThat(producers.getProducer("a").getSettings().deliveryLead()).isEqualTo(Duration.ofMillis(600));
                    assertThat(producers.getProducer("b").getSettings().deliveryLead()).isZero();
                    assertThat(producers.getProducer("c").getSettings().deliveryLead()).isEqualTo(Duration.ofSeconds(2));
                });
            runner.withPropertyValues("mqs.ons.delivery-lead=1500ms", "mqs.ons.producers.a.topic=a")
                .run(context -> assertThat(context.getBean(OnsProducerRegistry.class).getProducer("a").getSettings()
                    .deliveryLead()).isEqualTo(Duration.ofMillis(1500)));
        }

        @Test
        void noProducersGivesAnEmptyRegistry() {
            runner.run(context -> {
                assertThat(context).doesNotHaveBean(DelayProducer.class);
                assertThat(context.getBean(OnsProducerRegistry.class).getProducerNames()).isEmpty();
            });
        }

        @Test
        void settingsCustomizersAdjustEveryProducer() {
            runner.withUserConfiguration(CustomizerConfig.class)
                .withPropertyValues("mqs.ons.producers.a.topic=a", "mqs.ons.producers.a.delays=1h, 1d")
                .run(context -> assertThat(context.getBean("a", DelayProducer.class).getSchedule().delays())
                    .containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(24)));
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
                    "mqs.ons.producers.other.topic=other")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBeansOfType(DelayProducer.class)).hasSize(2)
                        .doesNotContainKey("clean-report-push");
                    CleanReportPushEventProducer producer = context.getBean(CleanReportPushEventProducer.class);
                    assertThat(producer.getName()).isEqualTo("clean-report-push");
                    assertThat(producer.getSchedule().delays()).containsExactly(Duration.ofHours(1), Duration.ofHours(3));
                    assertThat(producer.getSettings()).isSameAs(context.getBean(OnsProducerRegistry.class)
                        .getProducer("clean-report-push").getSettings());
                    assertThat(context.getBean("other")).isInstanceOf(DefaultDelayProducer.class);
                });
        }

        @Test
        void subclassOwnSettingsAreKnownKeysAndBound() {
            runner.withUserConfiguration(SubclassConfig.class)
                .withPropertyValues(
                    "mqs.ons.producers.clean-report-push.topic=report_push",
                    "mqs.ons.producers.clean-report-push.partner-url=https://partner.example/push")
                .run(context -> assertThat(context.getBean(CleanReportPushEventProducer.class).getPartnerUrl())
                    .isEqualTo("https://partner.example/push"));
        }

        @Test
        void aSubclassWithoutPrefixIsNamedAfterItsBean() {
            runner.withBean("coupon-close", UnboundProducer.class, UnboundProducer::new)
                .withPropertyValues("mqs.ons.producers.coupon-close.topic=coupon_close")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(UnboundProducer.class).getName()).isEqualTo("coupon-close");
                    assertThat(context.getBeansOfType(DelayProducer.class)).containsOnlyKeys("coupon-close");
                });
        }

        @Test
        void aSubclassWhoseSectionHasNoTopicFailsNamingIt() {
            runner.withUserConfiguration(SubclassConfig.class)
                .run(context -> assertFailure(context.getStartupFailure(),
                    "mqs.ons.producers.clean-report-push.topic is not set"));
        }

    }

    @Nested
    class BadConfiguration {

        @Test
        void producerWithoutTopic() {
            runner.withPropertyValues("mqs.ons.producers.order-cancel.tag=cancel")
                .run(context -> assertFailure(context.getStartupFailure(),
                    "mqs.ons.producers.order-cancel.topic is not set"));
        }

        @Test
        void negativeDelay() {
            runner.withPropertyValues("mqs.ons.producers.p.topic=a", "mqs.ons.producers.p.delays=10s, -5s")
                .run(context -> assertFailure(context.getStartupFailure(),
                    "mqs.ons.producers.p.delays[1]=PT-5S must be positive"));
        }

        @Test
        void zeroLengthDelay() {
            runner.withPropertyValues("mqs.ons.producers.p.topic=a", "mqs.ons.producers.p.delays=0")
                .run(context -> assertFailure(context.getStartupFailure(),
                    "mqs.ons.producers.p.delays[0]=PT0S must be positive"));
        }

        @Test
        void tagWithOrSyntaxOrWildcard() {
            runner.withPropertyValues("mqs.ons.producers.p.topic=a", "mqs.ons.producers.p.tag=a||b",
                    "mqs.ons.producers.q.topic=a", "mqs.ons.producers.q.tag=*")
                .run(context -> {
                    assertFailure(context.getStartupFailure(), "mqs.ons.producers.p.tag='a||b' is not a tag");
                    assertFailure(context.getStartupFailure(), "mqs.ons.producers.q.tag='*' is not a tag");
                });
        }

        @Test
        void unknownKeyUnderAProducer() {
            runner.withPropertyValues("mqs.ons.producers.p.topic=a", "mqs.ons.producers.p.delay-seconds=60")
                .run(context -> assertFailure(context.getStartupFailure(),
                    "mqs.ons.producers.p.delay-seconds is not a setting of a producer; known: delay-second-list, "
                        + "delay-send-time-mills, delays, delivery-lead, initial-delay, producer-id, send-timeout, tag, "
                        + "timeout-millis, topic"));
        }

        @Test
        void negativeInitialDelayAndLead() {
            runner.withPropertyValues("mqs.ons.producers.p.topic=a", "mqs.ons.producers.p.initial-delay=-1s",
                    "mqs.ons.producers.p.delivery-lead=-1s")
                .run(context -> {
                    assertFailure(context.getStartupFailure(),
                        "mqs.ons.producers.p.initial-delay=PT-1S must be zero or positive");
                    assertFailure(context.getStartupFailure(),
                        "mqs.ons.producers.p.delivery-lead=PT-1S must be zero (no lead) or positive");
                });
        }

        @Test
        void nonPositiveSendTimeout() {
            runner.withPropertyValues("mqs.ons.producers.p.topic=a", "mqs.ons.producers.p.send-timeout=0s")
                .run(context -> assertFailure(context.getStartupFailure(),
                    "mqs.ons.producers.p.send-timeout=PT0S must be positive"));
        }

    }

    private static void assertFailure(Throwable failure, String expected) {
        assertThat(failure).isNotNull();
        assertThat(NestedExceptionUtils.getMostSpecificCause(failure)).hasMessageContaining(expected);
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

    static class UnboundProducer extends AbstractProducer {

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

        @Bean
        OnsProducerSettingsCustomizer sixtyTimesFaster() {
            return settings -> settings.withSchedule(new RetrySchedule(settings.schedule().initialDelay(),
                settings.schedule().delays().stream().map(delay -> delay.dividedBy(60)).toList()));
        }

    }

}
