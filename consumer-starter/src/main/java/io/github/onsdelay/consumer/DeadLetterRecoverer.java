package io.github.onsdelay.consumer;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.onsdelay.core.OnsMessageProperties;
import io.github.onsdelay.core.TimedMessage;
import io.github.onsdelay.core.TimedMessageSender;

/**
 * Forwards an exhausted message to a dead-letter topic as attempt 0 of a new message, addressed to no group, so
 * that an {@link OnsListener} of any group on that topic receives it once, with
 * {@link OnsMessageProperties#DEAD_LETTER_GROUP}, {@code DEAD_LETTER_REASON}, {@code DEAD_LETTER_ATTEMPT},
 * {@code DEAD_LETTER_TOPIC} and {@code DEAD_LETTER_ERROR} saying where and why it died. Business key, producer,
 * tag and first-send time are kept.
 */
final class DeadLetterRecoverer implements ExhaustionRecoverer {

    private static final int MAX_ERROR = 1_000;

    private final String topic;

    private final TimedMessageSender sender;

    private final Duration sendTimeout;

    DeadLetterRecoverer(String topic, TimedMessageSender sender, Duration sendTimeout) {
        this.topic = topic;
        this.sender = sender;
        this.sendTimeout = sendTimeout;
    }

    @Override
    public void recover(Exhaustion exhaustion) {
        DeliveryContext context = exhaustion.context();
        String error = String.valueOf(exhaustion.lastError());
        Map<String, String> deadLetter = new LinkedHashMap<>();
        deadLetter.put(OnsMessageProperties.DEAD_LETTER_GROUP, context.group());
        deadLetter.put(OnsMessageProperties.DEAD_LETTER_REASON, exhaustion.reason().name());
        deadLetter.put(OnsMessageProperties.DEAD_LETTER_ATTEMPT, Integer.toString(context.attempt()));
        deadLetter.put(OnsMessageProperties.DEAD_LETTER_TOPIC, context.topic());
        deadLetter.put(OnsMessageProperties.DEAD_LETTER_ERROR,
            error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR));
        sender.send(new TimedMessage(context.producer(), topic, context.tag().isEmpty() ? null : context.tag(),
            context.businessKey(), exhaustion.body(), 0, sender.clock().instant(), context.firstSentAt(), null,
            deadLetter), Duration.ZERO, sendTimeout);
    }

    @Override
    public String toString() {
        return "DeadLetterRecoverer[" + topic + "]";
    }

}
