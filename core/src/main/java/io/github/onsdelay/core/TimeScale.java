package io.github.onsdelay.core;

import java.time.Duration;
import java.time.Instant;

/**
 * How much faster than configured a test's schedules run ({@code mqs.ons.time-scale}): every delay, initial delay,
 * distance to a {@code deliverAt} and the hop horizon is divided by the factor, so that a schedule of 1h, 3h, 1d,
 * 3d plays out in seconds. The configured values stay what handlers see ({@code DeliveryContext.retryDelays()});
 * due times, and the lateness measured against them, are the scaled ones the broker and the clock follow.
 *
 * @param factor how many times faster, at least 1; 1 is real time
 */
public record TimeScale(double factor) {

    /** Real time. */
    public static final TimeScale NONE = new TimeScale(1);

    public TimeScale {
        if (!(factor >= 1) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("A time scale divides delays: it must be a finite number of at least 1, "
                + "was " + factor);
        }
    }

    /** Whether schedules run faster than configured. */
    public boolean isScaled() {
        return factor != 1;
    }

    /** A configured duration as it runs: divided by the factor, at least a millisecond unless it is zero. */
    public Duration scale(Duration configured) {
        if (!isScaled() || configured.isZero() || configured.isNegative()) {
            return configured;
        }
        long nanos = (long) (configured.toNanos() / factor);
        return Duration.ofNanos(Math.max(1_000_000L, nanos));
    }

    /** An instant asked for, as it runs: its distance from now divided by the factor. */
    public Instant scale(Instant asked, Instant now) {
        return !isScaled() || !asked.isAfter(now) ? asked : now.plus(scale(Duration.between(now, asked)));
    }

    @Override
    public String toString() {
        return isScaled() ? "1:" + (factor == Math.rint(factor) ? Long.toString((long) factor) : Double.toString(factor))
            : "real time";
    }

}
