package io.github.onsdelay.consumer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.onsdelay.core.OnsMessageProperties;
import org.jspecify.annotations.Nullable;

/**
 * What a handler learns of the delivery it handles.
 *
 * @param producer name of the producer that sent the message
 * @param group consumer group handling it
 * @param topic topic it arrived on
 * @param tag its tag, or an empty string when it has none
 * @param messageId the broker's id of this delivery's message (a retry is a new message)
 * @param businessKey business key, the same for every attempt of one message
 * @param attempt attempt number: 0 for the first delivery, n for the n-th retry
 * @param remainingRetries how many retries are left after this attempt
 * @param dueAt when this attempt was due
 * @param firstSentAt when attempt 0 was sent
 * @param brokerDeliveryAttempt how often the broker has delivered this very message (above 1 after a
 *     redelivery, for example when a re-send failed)
 * @param retryDelays the producer's retry delays: attempt n+1 is due {@code retryDelays[n]} after attempt n
 *     failed
 * @param properties the message's user properties as it arrived (ons-delay's own {@code ons_delay_*}, a trace
 *     context, and those of a dead letter, see {@link io.github.onsdelay.core.OnsMessageProperties})
 */
public record DeliveryContext(String producer, String group, String topic, String tag, String messageId,
        String businessKey, int attempt, int remainingRetries, Instant dueAt, Instant firstSentAt,
        int brokerDeliveryAttempt, List<Duration> retryDelays, Map<String, String> properties) {

    public DeliveryContext {
        retryDelays = List.copyOf(retryDelays);
        properties = Map.copyOf(properties);
    }

    /** A message property, or null when the message has none of that name. */
    public @Nullable String property(String name) {
        return properties.get(name);
    }

    /**
     * How many times faster than configured the sender's schedules ran: 1 but in a test with
     * {@code mqs.ons.time-scale}, whose {@link #retryDelays} are still the configured ones while {@link #dueAt} is
     * the scaled time the message was due.
     */
    public double timeScale() {
        String scale = properties.get(OnsMessageProperties.TIME_SCALE);
        if (scale == null) {
            return 1;
        }
        try {
            return Double.parseDouble(scale);
        }
        catch (NumberFormatException ex) {
            return 1;
        }
    }

    /** Whether this is the last attempt: when it fails, the message is exhausted. */
    public boolean isLastAttempt() {
        return remainingRetries == 0;
    }

}
