package io.github.onsdelay.embedded;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The builder refuses settings the server cannot take, naming the setting and the value, before anything starts. */
class EmbeddedRocketMQBrokerBuilderTests {

    @Test
    void timerPrecisionIsOneOfTheBrokersSlotSizes() {
        assertThatThrownBy(() -> EmbeddedRocketMQBroker.builder().timerPrecision(Duration.ofMillis(300)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("Timer precision must be 100, 200, 500 or 1000 ms, was 300 ms");
        assertThatCode(() -> EmbeddedRocketMQBroker.builder().timerPrecision(Duration.ofSeconds(1)))
            .doesNotThrowAnyException();
    }

    @Test
    void timerFlushIntervalIsAtLeastATenthOfASecond() {
        assertThatThrownBy(() -> EmbeddedRocketMQBroker.builder().timerFlushInterval(Duration.ofMillis(50)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("Timer flush interval must be between 100 ms and 24 days, was PT0.05S");
        assertThatThrownBy(() -> EmbeddedRocketMQBroker.builder().timerFlushInterval(Duration.ofDays(30)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageEndingWith("was PT720H");
        assertThatCode(() -> EmbeddedRocketMQBroker.builder().timerFlushInterval(Duration.ofMinutes(1)))
            .doesNotThrowAnyException();
    }

    @Test
    void longPollingAndMaxDelayAreRefusedWhenTheServerCouldNotUseThem() {
        assertThatThrownBy(() -> EmbeddedRocketMQBroker.builder().longPollingTimeout(Duration.ofMillis(500)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("Long polling timeout must be at least 1 s, was PT0.5S");
        assertThatThrownBy(() -> EmbeddedRocketMQBroker.builder().maxDelay(Duration.ZERO))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("Max delay must be positive, was PT0S");
    }

}
