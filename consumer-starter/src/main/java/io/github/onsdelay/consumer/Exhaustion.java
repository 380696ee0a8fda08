package io.github.onsdelay.consumer;

import org.jspecify.annotations.Nullable;

/**
 * A message that will not be handled again: its last attempt failed, or its body could not be read.
 *
 * @param reason why it is exhausted
 * @param payload the converted payload, or null when the body could not be read ({@link Reason#POISON})
 * @param body the message body as it arrived
 * @param context the delivery of the last attempt
 * @param lastError what failed last: the handler's exception, a description of a {@code false} return, or
 *     the conversion error
 */
public record Exhaustion(Reason reason, @Nullable Object payload, byte[] body, DeliveryContext context,
        Throwable lastError) {

    /** Why a message is exhausted. */
    public enum Reason {

        /** Every attempt the producer's delays allow has failed. */
        RETRIES_EXHAUSTED,

        /** The body could not be converted to the handler's parameter type: retrying would not help. */
        POISON

    }

}
