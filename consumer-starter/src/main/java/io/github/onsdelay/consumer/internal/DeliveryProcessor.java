package io.github.onsdelay.consumer.internal;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import io.github.onsdelay.consumer.DeliveryContext;
import io.github.onsdelay.consumer.Exhaustion;
import io.github.onsdelay.producer.OnsDelayException;
import io.github.onsdelay.producer.OnsMessageProperties;
import io.github.onsdelay.producer.OnsSendException;
import io.github.onsdelay.producer.PayloadConverter;
import io.github.onsdelay.producer.RetrySchedule;
import io.github.onsdelay.producer.internal.DelayMessageSender;
import io.github.onsdelay.producer.internal.OutgoingMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.rocketmq.client.apis.consumer.ConsumeResult;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.jspecify.annotations.Nullable;

/**
 * What happens to one delivery of a listener's group. In order:
 * <ol>
 * <li>a retry addressed to another group is acknowledged and left alone;</li>
 * <li>a message not yet due (a hop of a long delay, or a delivery the broker's timer rounded early) is
 * sent on, or waited for when it is due within {@link #EARLY_WAIT_LIMIT};</li>
 * <li>a body that cannot be read is poison: exhausted at once, never retried;</li>
 * <li>the handler runs; success is acknowledged;</li>
 * <li>failure sends attempt n+1, due after the producer's {@code delays[n]}, to this group only, and the
 * delivery is acknowledged only once the broker accepted that retry;</li>
 * <li>with no delay left, the message is exhausted: forwarded to the dead-letter topic when one is set,
 * then handed to the exhaustion handler, and acknowledged.</li>
 * </ol>
 * Whenever a send or the exhaustion handler fails, the delivery is not acknowledged, so the broker delivers
 * it again: nothing is lost, duplicates are possible.
 */
public final class DeliveryProcessor {

    /** Deliveries due within this are waited for in place rather than sent on as another hop. */
    static final Duration EARLY_WAIT_LIMIT = Duration.ofSeconds(1);

    private static final Log LOG = LogFactory.getLog(DeliveryProcessor.class);

    private final ListenerMethod listener;

    private final String producer;

    private final String group;

    private final RetrySchedule schedule;

    private final Duration sendTimeout;

    private final DelayMessageSender sender;

    private final PayloadConverter converter;

    private final Clock clock;

    private final Consumer<Exhaustion> exhaustion;

    public DeliveryProcessor(ListenerMethod listener, String producer, String group, RetrySchedule schedule,
            Duration sendTimeout, DelayMessageSender sender, Consumer<Exhaustion> exhaustion) {
        this.listener = listener;
        this.producer = producer;
        this.group = group;
        this.schedule = schedule;
        this.sendTimeout = sendTimeout;
        this.sender = sender;
        this.converter = sender.converter();
        this.clock = sender.clock();
        this.exhaustion = exhaustion;
    }

    public ConsumeResult process(MessageView message) {
        Map<String, String> properties = message.getProperties();
        String targetGroup = properties.get(OnsMessageProperties.TARGET_GROUP);
        if (targetGroup != null && !targetGroup.equals(group)) {
            return ConsumeResult.SUCCESS;
        }
        byte[] body = bytes(message.getBody());
        Delivery delivery;
        try {
            delivery = Delivery.read(message, properties, producer, clock.instant());
        }
        catch (RuntimeException ex) {
            return exhaust(Exhaustion.Reason.POISON, null, body, fallbackContext(message), ex);
        }
        Instant now = clock.instant();
        if (delivery.dueAt.isAfter(now)) {
            if (Duration.between(now, delivery.dueAt).compareTo(EARLY_WAIT_LIMIT) > 0) {
                return sendOn(message, delivery, body);
            }
            Boolean due = waitUntil(delivery.dueAt);
            if (due == null) {
                return ConsumeResult.FAILURE;
            }
            if (!due) {
                return sendOn(message, delivery, body);
            }
        }
        DeliveryContext context = context(message, delivery);
        Object payload;
        try {
            payload = converter.fromBody(body, listener.payloadType());
        }
        catch (RuntimeException ex) {
            return exhaust(Exhaustion.Reason.POISON, null, body, context, ex);
        }
        Throwable failure;
        try {
            if (listener.invoke(payload, context)) {
                return ConsumeResult.SUCCESS;
            }
            failure = new OnsDelayException(listener.description() + " returned false on attempt " + delivery.attempt);
        }
        catch (Throwable ex) {
            failure = ex;
        }
        return retry(message, delivery, body, payload, context, failure);
    }

    private ConsumeResult retry(MessageView message, Delivery delivery, byte[] body, Object payload,
            DeliveryContext context, Throwable failure) {
        int next = delivery.attempt + 1;
        Optional<Duration> delay = schedule.delayOf(next);
        if (delay.isEmpty()) {
            return exhaust(Exhaustion.Reason.RETRIES_EXHAUSTED, payload, body, context, failure);
        }
        Instant dueAt = clock.instant().truncatedTo(ChronoUnit.MILLIS).plus(delay.get());
        if (!send(message, delivery, body, next, dueAt, "retry")) {
            return ConsumeResult.FAILURE;
        }
        if (LOG.isInfoEnabled()) {
            LOG.info(listener.description() + " failed on attempt " + delivery.attempt + " of key "
                + delivery.businessKey + " (" + failure + "); attempt " + next + " is due at " + dueAt);
        }
        return ConsumeResult.SUCCESS;
    }

    private ConsumeResult sendOn(MessageView message, Delivery delivery, byte[] body) {
        return send(message, delivery, body, delivery.attempt, delivery.dueAt, "hop")
            ? ConsumeResult.SUCCESS : ConsumeResult.FAILURE;
    }

    /** Sends and waits for the broker to accept; false (with a WARN) when it did not. */
    private boolean send(MessageView message, Delivery delivery, byte[] body, int attempt, Instant dueAt, String what) {
        OutgoingMessage outgoing = new OutgoingMessage(delivery.producer, message.getTopic(),
            message.getTag().orElse(null), delivery.businessKey, body, attempt, dueAt, delivery.firstSentAt, group);
        try {
            sender.sendAndWait(outgoing, sendTimeout);
            return true;
        }
        catch (OnsSendException ex) {
            LOG.warn("Could not send the " + what + " of key " + delivery.businessKey + " (attempt " + attempt
                + ") for group '" + group + "'; not acknowledging, so the broker delivers it again: "
                + ex.getMessage());
            return false;
        }
    }

    private ConsumeResult exhaust(Exhaustion.Reason reason, @Nullable Object payload, byte[] body,
            DeliveryContext context, Throwable lastError) {
        try {
            exhaustion.accept(new Exhaustion(reason, payload, body, context, lastError));
            return ConsumeResult.SUCCESS;
        }
        catch (RuntimeException ex) {
            LOG.error("Exhaustion of key " + context.businessKey() + " in group '" + group + "' failed; not "
                + "acknowledging, so the broker delivers it again", ex);
            return ConsumeResult.FAILURE;
        }
    }

    /**
     * Waits until the clock reaches {@code dueAt}, to the nanosecond the clock offers.
     * @return true once due; false when the clock did not get there in time (a stopped clock); null when
     *     interrupted
     */
    private @Nullable Boolean waitUntil(Instant dueAt) {
        long deadline = System.nanoTime() + EARLY_WAIT_LIMIT.toNanos() * 2;
        Instant now;
        while ((now = clock.instant()).isBefore(dueAt)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                long nanos = Duration.between(now, dueAt).toNanos();
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return true;
    }

    private DeliveryContext context(MessageView message, Delivery delivery) {
        return new DeliveryContext(delivery.producer, group, message.getTopic(), message.getTag().orElse(""),
            message.getMessageId().toString(), delivery.businessKey, delivery.attempt,
            Math.max(0, schedule.maxRetries() - delivery.attempt), delivery.dueAt, delivery.firstSentAt,
            message.getDeliveryAttempt());
    }

    /** For a message whose own properties cannot be read: what can be said of it without them. */
    private DeliveryContext fallbackContext(MessageView message) {
        Instant born = Instant.ofEpochMilli(message.getBornTimestamp());
        return new DeliveryContext(producer, group, message.getTopic(), message.getTag().orElse(""),
            message.getMessageId().toString(), messageKey(message), 0, 0, born, born, message.getDeliveryAttempt());
    }

    /** The first message key, or the message id when there is none. */
    private static String messageKey(MessageView message) {
        return message.getKeys().isEmpty() ? message.getMessageId().toString() : message.getKeys().iterator().next();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** The ons-delay properties of a delivery; messages from other producers get sensible defaults. */
    private record Delivery(String producer, String businessKey, int attempt, Instant dueAt, Instant firstSentAt) {

        static Delivery read(MessageView message, Map<String, String> properties, String defaultProducer, Instant now) {
            int attempt = integer(properties, OnsMessageProperties.ATTEMPT, 0);
            if (attempt < 0) {
                throw new IllegalArgumentException(OnsMessageProperties.ATTEMPT + "=" + attempt + " is negative");
            }
            Instant dueAt = instant(properties, OnsMessageProperties.DUE_AT,
                message.getDeliveryTimestamp().map(Instant::ofEpochMilli).orElse(now));
            Instant firstSentAt = instant(properties, OnsMessageProperties.FIRST_SENT_AT,
                Instant.ofEpochMilli(message.getBornTimestamp()));
            String key = properties.get(OnsMessageProperties.BUSINESS_KEY);
            if (key == null) {
                key = messageKey(message);
            }
            return new Delivery(properties.getOrDefault(OnsMessageProperties.PRODUCER, defaultProducer), key, attempt,
                dueAt, firstSentAt);
        }

        private static int integer(Map<String, String> properties, String name, int fallback) {
            String value = properties.get(name);
            try {
                return value == null ? fallback : Integer.parseInt(value);
            }
            catch (NumberFormatException ex) {
                throw new IllegalArgumentException("Message property " + name + "='" + value + "' is not a number", ex);
            }
        }

        private static Instant instant(Map<String, String> properties, String name, Instant fallback) {
            String value = properties.get(name);
            try {
                return value == null ? fallback : Instant.ofEpochMilli(Long.parseLong(value));
            }
            catch (NumberFormatException ex) {
                throw new IllegalArgumentException("Message property " + name + "='" + value + "' is not epoch millis", ex);
            }
        }

    }

}
