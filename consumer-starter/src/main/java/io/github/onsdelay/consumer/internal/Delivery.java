package io.github.onsdelay.consumer.internal;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What ons-delay reads from a received message, whatever sent it.
 *
 * @param producer the producer that sent it (the listener's own producer for messages from other senders)
 * @param businessKey business key: ons-delay's property, else the first message key, else the message id
 * @param attempt attempt number (0 for messages from other senders)
 * @param dueAt when the handler is due to run
 * @param firstSentAt when attempt 0 was sent (the born time for messages from other senders)
 * @param targetGroup for a retry or hop, the only group meant to handle it
 * @param dueTimeSource where the due time was read from
 * @param hops how many hops it has made (0 for a message that never hopped)
 */
record Delivery(String producer, String businessKey, int attempt, Instant dueAt, Instant firstSentAt,
        @Nullable String targetGroup, DueTimeSource dueTimeSource, int hops) {

    /** Where a delivery's due time comes from. */
    enum DueTimeSource {

        /** ons-delay's own {@code ons_delay_due_at}. */
        ONS_DELAY,

        /** The original ONS client's {@code __STARTDELIVERTIME}, which Apache RocketMQ does not act on. */
        ONS_START_DELIVER_TIME,

        /** The delivery timestamp of a gRPC timed message, or a remoting client's {@code TIMER_DELIVER_MS}. */
        DELIVERY_TIMESTAMP,

        /**
         * None to trust: the broker released the message when it was due (a remoting client's
         * {@code TIMER_DELAY_SEC} or {@code TIMER_DELAY_MS}, a 4.x delay level) or it is a plain message.
         */
        BROKER_RELEASE

    }

}
