package io.github.onsdelay.consumer.internal;

import java.time.Duration;

/**
 * What the stages before settlement decided for a message: acknowledge it, give it back to be delivered again
 * (and why), or forget it because its lease was lost and whoever has it now decides.
 *
 * @param kind what to do
 * @param why for a give-back, what failed (logged when the broker's delivery budget nears its end)
 */
record Disposition(Kind kind, String why) {

    /** What settlement does with a message. */
    enum Kind {

        ACKNOWLEDGE,

        GIVE_BACK,

        FORGET

    }

    static final Disposition ACKNOWLEDGE = new Disposition(Kind.ACKNOWLEDGE, "");

    static final Disposition FORGET = new Disposition(Kind.FORGET, "");

    static Disposition giveBack(String why) {
        return new Disposition(Kind.GIVE_BACK, why);
    }

    /** 1s, 5s, 10s, 30s, 1m, 2m, then 5m: the first redeliveries come soon, a lasting fault is not hammered. */
    static Duration backoff(int deliveryAttempt) {
        Duration[] steps = {Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5)};
        return steps[Math.min(Math.max(deliveryAttempt, 1), steps.length) - 1];
    }

}
