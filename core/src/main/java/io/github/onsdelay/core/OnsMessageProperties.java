package io.github.onsdelay.core;

/**
 * Names of the RocketMQ message properties that ons-delay sets on every message it sends. Times are
 * epoch milliseconds in decimal.
 */
public final class OnsMessageProperties {

    /** Prefix of every property name below. */
    public static final String PREFIX = "ons_delay_";

    /** Attempt number: 0 for the first delivery, n for the n-th retry. */
    public static final String ATTEMPT = PREFIX + "attempt";

    /** When the handler is due to run; a hop of a long delay carries the final due time here. */
    public static final String DUE_AT = PREFIX + "due_at";

    /** When the first attempt was sent; kept across retries and hops. */
    public static final String FIRST_SENT_AT = PREFIX + "first_sent_at";

    /** Name of the producer that sent the message (its {@code mqs.ons.producers} key). */
    public static final String PRODUCER = PREFIX + "producer";

    /** Business key, kept across retries so handlers can be idempotent; also the message key. */
    public static final String BUSINESS_KEY = PREFIX + "business_key";

    /** Only on messages of a test whose schedules run faster ({@code mqs.ons.time-scale}): the factor. */
    public static final String TIME_SCALE = PREFIX + "time_scale";

    /** On a retry, a hop or a message handed over: the only consumer group meant to handle it. */
    public static final String TARGET_GROUP = PREFIX + "target_group";

    /**
     * On a hop: how many hops the message has made. Bounds the hops of one message whatever the clocks say:
     * one past what its delay needs is held instead of sent on again.
     */
    public static final String HOPS = PREFIX + "hops";

    /** On a dead letter: the consumer group whose listener exhausted the message. */
    public static final String DEAD_LETTER_GROUP = PREFIX + "dead_letter_group";

    /** On a dead letter: why it was exhausted, {@code RETRIES_EXHAUSTED} or {@code POISON}. */
    public static final String DEAD_LETTER_REASON = PREFIX + "dead_letter_reason";

    /** On a dead letter: the attempt that failed last. */
    public static final String DEAD_LETTER_ATTEMPT = PREFIX + "dead_letter_attempt";

    /** On a dead letter: the topic the message was exhausted on. */
    public static final String DEAD_LETTER_TOPIC = PREFIX + "dead_letter_topic";

    /** On a dead letter: what failed last, as text (at most 1,000 characters). */
    public static final String DEAD_LETTER_ERROR = PREFIX + "dead_letter_error";

    private OnsMessageProperties() {
    }

}
