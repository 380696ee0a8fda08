package io.github.onsdelay.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RetryScheduleTests {

    private final RetrySchedule schedule = RetrySchedule.of(Duration.ofMinutes(30), Duration.ofHours(1),
        Duration.ofHours(3), Duration.ofDays(1), Duration.ofDays(3));

    @Test
    void firstAttemptUsesTheInitialDelayAndRetriesTheList() {
        assertThat(schedule.delayOf(0)).hasValue(Duration.ofMinutes(30));
        assertThat(schedule.delayOf(1)).hasValue(Duration.ofHours(1));
        assertThat(schedule.delayOf(4)).hasValue(Duration.ofDays(3));
        assertThat(schedule.maxRetries()).isEqualTo(4);
    }

    @Test
    void attemptBeyondTheListHasNoDelay() {
        assertThat(schedule.delayOf(5)).isEmpty();
        assertThat(schedule.isLastAttempt(4)).isTrue();
        assertThat(schedule.isLastAttempt(3)).isFalse();
    }

    @Test
    void invalidSchedulesSayWhatIsWrong() {
        assertThatIllegalArgumentException().isThrownBy(() -> schedule.delayOf(-1))
            .withMessage("Attempt must be zero or positive, was -1");
        assertThatIllegalArgumentException().isThrownBy(() -> RetrySchedule.of(Duration.ofSeconds(-1)))
            .withMessage("Initial delay must be zero or positive, was PT-1S");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> RetrySchedule.of(Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO))
            .withMessage("Retry delay [1] must be positive, was PT0S");
    }

}
