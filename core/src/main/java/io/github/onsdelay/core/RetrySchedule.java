package io.github.onsdelay.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * When each attempt of a producer's message is due, relative to the moment it is sent: attempt 0 after
 * {@code initialDelay}, attempt n (n &ge; 1) after {@code delays[n-1]}. Immutable and validated when built.
 *
 * @param initialDelay delay of the first delivery
 * @param delays retry delays, one per retry
 */
public record RetrySchedule(Duration initialDelay, List<Duration> delays) {

    public RetrySchedule {
        if (initialDelay == null || initialDelay.isNegative()) {
            throw new IllegalArgumentException("Initial delay must be zero or positive, was " + initialDelay);
        }
        delays = List.copyOf(delays);
        for (int i = 0; i < delays.size(); i++) {
            Duration delay = delays.get(i);
            if (delay.isNegative() || delay.isZero()) {
                throw new IllegalArgumentException("Retry delay [" + i + "] must be positive, was " + delay);
            }
        }
    }

    public static RetrySchedule of(Duration initialDelay, Duration... delays) {
        return new RetrySchedule(initialDelay, List.of(delays));
    }

    /** The delay of an attempt, or empty when the attempt is beyond the list (the message is exhausted). */
    public Optional<Duration> delayOf(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("Attempt must be zero or positive, was " + attempt);
        }
        if (attempt == 0) {
            return Optional.of(initialDelay);
        }
        return attempt <= delays.size() ? Optional.of(delays.get(attempt - 1)) : Optional.empty();
    }

    /** How many retries follow the first attempt. */
    public int maxRetries() {
        return delays.size();
    }

    /** Whether an attempt is the last one the schedule allows. */
    public boolean isLastAttempt(int attempt) {
        return attempt >= delays.size();
    }

}
