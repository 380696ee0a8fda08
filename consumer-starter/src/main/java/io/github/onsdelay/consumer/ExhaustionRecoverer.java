package io.github.onsdelay.consumer;

/**
 * Takes care of an exhausted message before the listener's {@link OnsExhausted} method (or the
 * {@link ExhaustionHandler}) runs: recoverers run in their order, each once per exhaustion. Built in: the
 * forward to {@code mqs.ons.consumer.dead-letter-topic} when it is set, and the journal's record of the
 * exhausted message when {@code ons-delay-jdbc} is present. Any {@code ExhaustionRecoverer} bean joins them
 * (ordered by {@code @Order}); a bean of the same name replaces a built-in one.
 *
 * <p>If one throws, the delivery is given back to the broker and the exhaustion is tried again, from the
 * first recoverer: recoverers run at least once, so make them idempotent by the delivery's message id.
 */
@FunctionalInterface
public interface ExhaustionRecoverer {

    void recover(Exhaustion exhaustion);

    /**
     * Forwards each exhausted message to a DELAY topic as attempt 0 of a new message for any group that listens
     * there, with its dead-letter properties ({@code ons_delay_dead_letter_*}); what
     * {@code mqs.ons.consumer.dead-letter-topic} sets up.
     */
    static ExhaustionRecoverer deadLetterTopic(String topic, io.github.onsdelay.core.TimedMessageSender sender,
            java.time.Duration sendTimeout) {
        return new DeadLetterRecoverer(topic, sender, sendTimeout);
    }

    /** Keeps each exhausted message in the journal, for operators to list and replay. */
    static ExhaustionRecoverer journal(DeliveryJournal journal) {
        return journal::exhausted;
    }

}
