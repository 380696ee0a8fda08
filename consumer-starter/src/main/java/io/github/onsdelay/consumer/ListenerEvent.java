package io.github.onsdelay.consumer;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Something that happened to a message in a listener that an operator wants to see: a retry sent, or an
 * exhaustion.
 *
 * @param type what happened
 * @param group the listener's consumer group
 * @param producer the producer whose message it is
 * @param businessKey the message's business key
 * @param attempt the attempt that failed
 * @param at when it happened
 * @param nextDueAt for a retry, when the next attempt is due
 * @param detail what failed (the handler's exception, or why the body could not be read)
 */
public record ListenerEvent(Type type, String group, String producer, String businessKey, int attempt, Instant at,
        @Nullable Instant nextDueAt, String detail) {

    /** What happened. */
    public enum Type {

        /** The attempt failed and the next one was sent. */
        RETRY,

        /** The last attempt failed. */
        EXHAUSTED,

        /** The body or the message's ons-delay properties could not be read. */
        POISON

    }

}
