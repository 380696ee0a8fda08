package io.github.onsdelay.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class TimeScaleTests {

    private final TimeScale scale = new TimeScale(3600);

    @Test
    void dividesDurationsAndDistancesToInstants() {
        assertThat(scale.scale(Duration.ofHours(3))).isEqualTo(Duration.ofSeconds(3));
        Instant now = Instant.parse("2026-12-04T00:00:00Z");
        assertThat(scale.scale(now.plus(Duration.ofDays(1)), now)).isEqualTo(now.plusSeconds(24));
        // A time already passed stays as it was: it is due at once either way.
        assertThat(scale.scale(now.minusSeconds(5), now)).isEqualTo(now.minusSeconds(5));
    }

    @Test
    void aScaledDelayIsAtLeastAMillisecondAndZeroStaysZero() {
        assertThat(scale.scale(Duration.ofMillis(10))).isEqualTo(Duration.ofMillis(1));
        assertThat(scale.scale(Duration.ZERO)).isEqualTo(Duration.ZERO);
    }

    @Test
    void realTimeChangesNothingAndBelowOneIsRefused() {
        assertThat(TimeScale.NONE.scale(Duration.ofHours(1))).isEqualTo(Duration.ofHours(1));
        assertThat(TimeScale.NONE.isScaled()).isFalse();
        assertThat(scale).hasToString("1:3600");
        assertThatIllegalArgumentException().isThrownBy(() -> new TimeScale(0.5));
        assertThatIllegalArgumentException().isThrownBy(() -> new TimeScale(Double.NaN));
    }

}
