package io.github.onsdelay.producer;

import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A payload with its per-send options: the attempt (or an absolute delivery time), a business key kept
 * across retries, and a tag overriding the producer's.
 *
 * <pre>{@code
 * producer.send(DelayMessage.of(order).withKey(order.id()).withAttempt(1));
 * }</pre>
 */
public final class DelayMessage {

    private final Object payload;

    private final int attempt;

    private final @Nullable Instant deliverAt;

    private final @Nullable String key;

    private final @Nullable String tag;

    private DelayMessage(Object payload, int attempt, @Nullable Instant deliverAt, @Nullable String key,
            @Nullable String tag) {
        this.payload = payload;
        this.attempt = attempt;
        this.deliverAt = deliverAt;
        this.key = key;
        this.tag = tag;
    }

    /** Attempt 0 of a payload, due after the producer's initial delay. */
    public static DelayMessage of(Object payload) {
        if (payload == null) {
            throw new IllegalArgumentException("Payload must not be null");
        }
        return new DelayMessage(payload, 0, null, null, null);
    }

    /** The same message as attempt {@code attempt}: due after the producer's {@code delays[attempt-1]}. */
    public DelayMessage withAttempt(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("Attempt must be zero or positive, was " + attempt);
        }
        return new DelayMessage(payload, attempt, null, key, tag);
    }

    /** The same message, due at an absolute time instead of after a delay (a time in the past means now). */
    public DelayMessage withDeliverAt(Instant deliverAt) {
        return new DelayMessage(payload, 0, Objects.requireNonNull(deliverAt, "deliverAt"), key, tag);
    }

    /** The same message with a business key: the message key, kept across all retries. */
    public DelayMessage withKey(@Nullable String key) {
        return new DelayMessage(payload, attempt, deliverAt, key, tag);
    }

    /** The same message with a tag of its own instead of the producer's. */
    public DelayMessage withTag(@Nullable String tag) {
        return new DelayMessage(payload, attempt, deliverAt, key, tag);
    }

    public Object payload() {
        return payload;
    }

    public int attempt() {
        return attempt;
    }

    public @Nullable Instant deliverAt() {
        return deliverAt;
    }

    public @Nullable String key() {
        return key;
    }

    public @Nullable String tag() {
        return tag;
    }

    @Override
    public String toString() {
        return "DelayMessage[attempt=" + attempt + (deliverAt != null ? ", deliverAt=" + deliverAt : "")
            + (key != null ? ", key=" + key : "") + (tag != null ? ", tag=" + tag : "") + "]";
    }

}
