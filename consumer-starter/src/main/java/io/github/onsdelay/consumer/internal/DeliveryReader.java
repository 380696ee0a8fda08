package io.github.onsdelay.consumer.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import io.github.onsdelay.core.OnsMessageProperties;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.jspecify.annotations.Nullable;

/**
 * Reads a received message's {@link Delivery}, working out its due time whatever sent it, in this order:
 * <ol>
 * <li>ons-delay's {@code ons_delay_due_at};</li>
 * <li>the original ONS client's {@code __STARTDELIVERTIME} (Apache RocketMQ delivers such a message at once,
 * so it is held or sent on until then);</li>
 * <li>the gRPC delivery timestamp: the time a gRPC producer, or a remoting producer's
 * {@code TIMER_DELIVER_MS}, asked for. The 5.3 proxy reports a remoting producer's {@code TIMER_DELAY_SEC}
 * as the time it hands the message over plus the delay, which would delay such a message twice: a timestamp
 * as far ahead as the message has already waited since it was born is that artefact, and the message is due
 * on arrival;</li>
 * <li>otherwise (a {@code TIMER_DELAY_MS}, a 4.x delay level, a plain message) the broker released it when it
 * was due: due on arrival.</li>
 * </ol>
 * Unreadable ons-delay properties throw {@link IllegalArgumentException}: the message is poison.
 */
final class DeliveryReader {

    /** The original ONS client's delivery time property (epoch milliseconds). */
    static final String ONS_START_DELIVER_TIME = "__STARTDELIVERTIME";

    /** How much longer than its timestamp's lead a message may have waited and still be taken for the artefact. */
    private static final Duration ARTEFACT_TOLERANCE = Duration.ofMillis(250);

    private DeliveryReader() {
    }

    static Delivery read(MessageView message, Map<String, String> properties, String defaultProducer, Instant receivedAt) {
        int attempt = integer(properties, OnsMessageProperties.ATTEMPT, 0);
        if (attempt < 0) {
            throw new IllegalArgumentException(OnsMessageProperties.ATTEMPT + "=" + attempt + " is negative");
        }
        Instant born = Instant.ofEpochMilli(message.getBornTimestamp());
        Instant dueAt;
        Delivery.DueTimeSource source;
        Instant ons = instant(properties, OnsMessageProperties.DUE_AT);
        Instant startDeliverTime = instant(properties, ONS_START_DELIVER_TIME);
        Optional<Long> timestamp = message.getDeliveryTimestamp();
        if (ons != null) {
            dueAt = ons;
            source = Delivery.DueTimeSource.ONS_DELAY;
        }
        else if (startDeliverTime != null) {
            dueAt = startDeliverTime;
            source = Delivery.DueTimeSource.ONS_START_DELIVER_TIME;
        }
        else if (timestamp.isPresent() && !isDelaySecondsArtefact(Instant.ofEpochMilli(timestamp.get()), born, receivedAt)) {
            dueAt = Instant.ofEpochMilli(timestamp.get());
            source = Delivery.DueTimeSource.DELIVERY_TIMESTAMP;
        }
        else {
            dueAt = receivedAt;
            source = Delivery.DueTimeSource.BROKER_RELEASE;
        }
        Instant firstSentAt = instant(properties, OnsMessageProperties.FIRST_SENT_AT);
        String key = properties.get(OnsMessageProperties.BUSINESS_KEY);
        int hops = integer(properties, OnsMessageProperties.HOPS, 0);
        return new Delivery(properties.getOrDefault(OnsMessageProperties.PRODUCER, defaultProducer),
            key != null ? key : messageKey(message), attempt, dueAt, firstSentAt != null ? firstSentAt : born,
            properties.get(OnsMessageProperties.TARGET_GROUP), source, Math.max(0, hops));
    }

    /**
     * Whether a delivery timestamp ahead of the arrival is the proxy's rendering of {@code TIMER_DELAY_SEC}
     * (arrival plus the whole delay again) rather than a message released early: the message has already
     * waited, since it was born, at least as long as the timestamp is ahead.
     */
    static boolean isDelaySecondsArtefact(Instant timestamp, Instant born, Instant receivedAt) {
        if (!timestamp.isAfter(receivedAt)) {
            return false;
        }
        Duration ahead = Duration.between(receivedAt, timestamp);
        Duration waited = Duration.between(born, receivedAt);
        return waited.plus(ARTEFACT_TOLERANCE).compareTo(ahead) >= 0;
    }

    /** The first message key, or the message id when there is none. */
    static String messageKey(MessageView message) {
        return message.getKeys().isEmpty() ? message.getMessageId().toString() : message.getKeys().iterator().next();
    }

    private static int integer(Map<String, String> properties, String name, int fallback) {
        String value = properties.get(name);
        try {
            return value == null ? fallback : Integer.parseInt(value.trim());
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException("Message property " + name + "='" + value + "' is not a number", ex);
        }
    }

    private static @Nullable Instant instant(Map<String, String> properties, String name) {
        String value = properties.get(name);
        try {
            return value == null ? null : Instant.ofEpochMilli(Long.parseLong(value.trim()));
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException("Message property " + name + "='" + value + "' is not epoch millis", ex);
        }
    }

}
