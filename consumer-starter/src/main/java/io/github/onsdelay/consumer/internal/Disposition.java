package io.github.onsdelay.consumer.internal;

import java.time.Duration;

/**
 * How a container ends its hold of a message: acknowledge it, or give it back to the broker to be delivered
 * again after a while.
 *
 * @param acknowledge whether to acknowledge it
 * @param redeliverAfter when not acknowledged, how long until the broker delivers it again
 */
record Disposition(boolean acknowledge, Duration redeliverAfter) {

    static final Disposition ACKNOWLEDGE = new Disposition(true, Duration.ZERO);

    /** Given back to the broker, delivered again after a backoff that grows with each delivery. */
    static Disposition redeliverLater(int deliveryAttempt) {
        return new Disposition(false, backoff(deliveryAttempt));
    }

    /** 1s, 5s, 10s, 30s, 1m, 2m, then 5m: the first redeliveries come soon, a lasting fault is not hammered. */
    static Duration backoff(int deliveryAttempt) {
        Duration[] steps = {Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5)};
        return steps[Math.min(Math.max(deliveryAttempt, 1), steps.length) - 1];
    }

}
