package io.github.onsdelay.producer;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.github.onsdelay.core.OnsConfigurationException;
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

    private final @Nullable SendJournal journal;

    public DefaultDelayProducer(ProducerSettings settings, TimedMessageSender sender, PayloadConverter converter) {
        this(settings, sender, converter, null);
    }

    /**
     * @param journal the journal that may take sends over and cancels by key, or null for none
     */
    public DefaultDelayProducer(ProducerSettings settings, TimedMessageSender sender, PayloadConverter converter,
            @Nullable SendJournal journal) {
        this.settings = settings;
        this.sender = sender;
        this.converter = converter;
        this.journal = journal;
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
        SendResult journaled = journal != null ? journal.takeOver(timed, settings) : null;
        if (journaled != null) {
            return journaled;
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
        if (journal != null) {
            // On the caller's thread: the journal writes inside the caller's transaction.
            try {
                SendResult journaled = journal.takeOver(timed, settings);
                if (journaled != null) {
                    return CompletableFuture.completedFuture(journaled);
                }
            }
            catch (RuntimeException ex) {
                return CompletableFuture.failedFuture(ex);
            }
        }
        return sender.sendAsync(timed, settings.deliveryLead(), settings.sendTimeout())
            .thenApply(receipt -> SendResult.of(timed.attempt(), timed.businessKey(), receipt));
    }

    @Override
    public boolean recall(SendResult result) {
        String handle = result.recallHandle();
        if (handle == null) {
            return false;
        }
        sender.recall(getName(), settings.topic(), handle, settings.sendTimeout());
        return true;
    }

    @Override
    public CancelResult cancel(String businessKey) {
        if (journal == null) {
            throw new OnsConfigurationException("Producer '" + getName() + "' cannot cancel by business key without "
                + "a journal: add ons-delay-jdbc and a DataSource, or recall one send with recall(SendResult)");
        }
        return journal.cancel(settings, businessKey);
    }

    @Override
    public RescheduleResult reschedule(String businessKey, Instant dueAt) {
        if (journal == null) {
            throw new OnsConfigurationException("Producer '" + getName() + "' cannot reschedule by business key "
                + "without a journal: add ons-delay-jdbc and a DataSource");
        }
        return journal.reschedule(settings, businessKey, dueAt.truncatedTo(ChronoUnit.MILLIS));
    }

    /** The message to send, or null when its attempt is beyond the delays. */
    private @Nullable TimedMessage prepare(DelayMessage message) {
        // Message properties carry epoch milliseconds: results and messages agree to the millisecond.
        Instant now = sender.clock().instant().truncatedTo(ChronoUnit.MILLIS);
        // A test's time scale divides the distance to the time asked for, and the schedule's delays.
        Instant dueAt = message.deliverAt() == null ? null
            : sender.timeScale().scale(message.deliverAt().truncatedTo(ChronoUnit.MILLIS), now);
        if (dueAt == null) {
            Optional<Duration> delay = settings.schedule().delayOf(message.attempt());
            if (delay.isEmpty()) {
                return null;
            }
            dueAt = now.plus(sender.timeScale().scale(delay.get())).truncatedTo(ChronoUnit.MILLIS);
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
