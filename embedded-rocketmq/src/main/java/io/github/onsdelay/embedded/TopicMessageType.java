package io.github.onsdelay.embedded;

/**
 * Message type a topic accepts; a RocketMQ 5 proxy rejects a message whose type differs from its topic's.
 */
public enum TopicMessageType {

    /** Plain messages, delivered at once. */
    NORMAL,

    /** Timed messages: every message carries a delivery timestamp. */
    DELAY,

    /** Ordered messages within a message group. */
    FIFO,

    /** Transactional (half) messages. */
    TRANSACTION

}
