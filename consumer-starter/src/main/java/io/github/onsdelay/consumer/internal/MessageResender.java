package io.github.onsdelay.consumer.internal;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.onsdelay.core.OnsMessageProperties;
import io.github.onsdelay.core.TimedMessage;
import io.github.onsdelay.core.TimedMessageReceipt;
import io.github.onsdelay.core.TimedMessageSender;
import io.github.onsdelay.producer.ProducerSettings;
import org.jspecify.annotations.Nullable;

/**
 * Sends a message a container holds as a new message: the next attempt after a failure, a hop of a delay too
 * long to hold, a hand-over at a stop, a delivery near the broker's redelivery limit. Each keeps the body,
 * business key, producer and first-send time, and is addressed to this group only. The producer's delivery lead
 * and send timeout apply.
 */
final class MessageResender {

    private final TimedMessageSender sender;

    private final ProducerSettings producer;

    private final String group;

    MessageResender(TimedMessageSender sender, ProducerSettings producer, String group) {
        this.sender = sender;
        this.producer = producer;
        this.group = group;
    }

    TimedMessageSender sender() {
        return sender;
    }

    /** Sends it to its own topic, for this group, as {@code attempt} due at {@code dueAt}; waits for the broker. */
    TimedMessageReceipt send(HeldMessage message, Delivery delivery, int attempt, Instant dueAt,
            Map<String, String> headers) {
        return sender.send(copy(message, delivery, message.view().getTopic(), attempt, dueAt, group, headers),
            producer.deliveryLead(), producer.sendTimeout());
    }

    /**
     * As {@link #send}, without waiting: the future completes with the receipt, or exceptionally with an
     * {@code OnsSendException}.
     */
    CompletableFuture<TimedMessageReceipt> sendAsync(HeldMessage message, Delivery delivery, int attempt,
            Instant dueAt, Map<String, String> headers) {
        return sender.sendAsync(copy(message, delivery, message.view().getTopic(), attempt, dueAt, group, headers),
            producer.deliveryLead(), producer.sendTimeout());
    }

    private TimedMessage copy(HeldMessage message, Delivery delivery, String topic, int attempt, Instant dueAt,
            @Nullable String targetGroup, Map<String, String> headers) {
        return new TimedMessage(delivery.producer(), topic, message.view().getTag().orElse(null),
            delivery.businessKey(), message.body(), attempt, dueAt, delivery.firstSentAt(), targetGroup, headers);
    }

}
