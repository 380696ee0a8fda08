package io.github.onsdelay.producer;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.github.onsdelay.core.OnsSendException;
import io.github.onsdelay.core.PayloadConverter;
import io.github.onsdelay.core.TimedMessage;
import io.github.onsdelay.core.TimedMessageSender;
import org.jspecify.annotations.Nullable;

/**
 * Sends one producer's messages. For each send: the attempt's due time from the producer's schedule (or the
 * absolute time asked for), the payload converted to a body, a business key (a new UUID when none is
 * given), then the timed message handed to the {@link TimedMessageSender}. An attempt beyond the delays
 * sends nothing.
 *
 * <p>The starter creates one per {@code mqs.ons.producers} entry: as a bean named after the key, or behind
 * the {@link AbstractProducer} subclass that covers the key.
 */
public final class DefaultDelayProducer implements DelayProducer {

    private final ProducerSettings settings;

    private final TimedMessageSender sender;

    private final PayloadConverter converter;

    public DefaultDelayProducer(ProducerSettings settings, TimedMessageSender sender, PayloadConverter converter) {
        this.settings = settings;
        this.sender = sender;
        this.converter = converter;
    }

    @Override
    public String getName() {
        return settings.name();
    }

    @Override
    public ProducerSettings getSettings() {
        return settings;
    }

    @Override
    public SendResult send(DelayMessage message) {
        TimedMessage timed = prepare(message);
        if (timed == null) {
            return SendResult.exhausted(message.attempt());
        }
        return SendResult.of(timed.attempt(), timed.businessKey(),
            sender.send(timed, settings.deliveryLead(), settings.sendTimeout()));
    }

    @Override
    public CompletableFuture<SendResult> sendAsync(DelayMessage message) {
        TimedMessage timed;
        try {
            timed = prepare(message);
        }
        catch (OnsSendException ex) {
            return CompletableFuture.failedFuture(ex);
        }
        if (timed == null) {
            return CompletableFuture.completedFuture(SendResult.exhausted(message.attempt()));
        }
        return sender.sendAsync(timed, settings.deliveryLead(), settings.sendTimeout())
            .thenApply(receipt -> SendResult.of(timed.attempt(), timed.businessKey(), receipt));
    }

    /** The message to send, or null when its attempt is beyond the delays. */
    private @Nullable TimedMessage prepare(DelayMessage message) {
        // Message properties carry epoch milliseconds: results and messages agree to the millisecond.
        Instant now = sender.clock().instant().truncatedTo(ChronoUnit.MILLIS);
        Instant dueAt = message.deliverAt() == null ? null : message.deliverAt().truncatedTo(ChronoUnit.MILLIS);
        if (dueAt == null) {
            Optional<Duration> delay = settings.schedule().delayOf(message.attempt());
            if (delay.isEmpty()) {
                return null;
            }
            dueAt = now.plus(delay.get());
        }
        byte[] body;
        try {
            body = converter.toBody(message.payload());
        }
        catch (RuntimeException ex) {
            throw new OnsSendException(getName(), settings.topic(), "payload cannot be converted: " + ex.getMessage(), ex);
        }
        String key = message.key() != null ? message.key() : UUID.randomUUID().toString();
        String tag = message.tag() != null ? message.tag() : settings.tag();
        return new TimedMessage(getName(), settings.topic(), tag, key, body, message.attempt(), dueAt, now, null);
    }

    @Override
    public String toString() {
        return "DefaultDelayProducer[" + settings + "]";
    }

}
