package io.github.onsdelay.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextCustomizer;

class EmbeddedRocketMQContextCustomizerFactoryTests {

    private final EmbeddedRocketMQContextCustomizerFactory factory = new EmbeddedRocketMQContextCustomizerFactory();

    @Test
    void equalAnnotationsGiveEqualCustomizersSoTheContextIsCached() {
        ContextCustomizer first = factory.createContextCustomizer(OrdersTest.class, List.of());
        ContextCustomizer second = factory.createContextCustomizer(SameAsOrdersTest.class, List.of());

        assertThat(first).isNotNull().isEqualTo(second).hasSameHashCodeAs(second);
    }

    @Test
    void differentTopicsGiveDifferentCustomizers() {
        ContextCustomizer orders = factory.createContextCustomizer(OrdersTest.class, List.of());
        ContextCustomizer coupons = factory.createContextCustomizer(CouponsTest.class, List.of());

        assertThat(orders).isNotEqualTo(coupons);
    }

    @Test
    void classWithoutTheAnnotationIsLeftAlone() {
        assertThat(factory.createContextCustomizer(String.class, List.of())).isNull();
    }

    @Test
    void nestedClassInheritsTheEnclosingAnnotation() {
        assertThat(factory.createContextCustomizer(OrdersTest.Inner.class, List.of()))
            .isEqualTo(factory.createContextCustomizer(OrdersTest.class, List.of()));
    }

    @Test
    void maxDelayTakesShortAndIsoDurations() {
        assertThat(EmbeddedRocketMQSettings.parseDuration("maxDelay", "5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(EmbeddedRocketMQSettings.parseDuration("maxDelay", "1d")).isEqualTo(Duration.ofDays(1));
        assertThat(EmbeddedRocketMQSettings.parseDuration("maxDelay", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(EmbeddedRocketMQSettings.parseDuration("maxDelay", "PT10M")).isEqualTo(Duration.ofMinutes(10));
        assertThat(EmbeddedRocketMQSettings.parseDuration("maxDelay", "30")).isEqualTo(Duration.ofSeconds(30));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> EmbeddedRocketMQSettings.parseDuration("maxDelay", "soon"))
            .withMessageContaining("@EmbeddedRocketMQ(maxDelay = \"soon\") is not a duration");
    }

    @Test
    void timerPrecisionOutsideTheBrokersSlotsIsRejected() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> EmbeddedRocketMQBroker.builder().timerPrecision(Duration.ofMillis(300)))
            .withMessage("Timer precision must be 100, 200, 500 or 1000 ms, was 300 ms");
    }

    @EmbeddedRocketMQ(topics = "orders")
    static class OrdersTest {

        @org.junit.jupiter.api.Nested
        class Inner {

        }

    }

    @EmbeddedRocketMQ(topics = "orders")
    static class SameAsOrdersTest {

    }

    @EmbeddedRocketMQ(topics = "coupons")
    static class CouponsTest {

    }

}
