package io.github.onsdelay.producer;

import java.time.Duration;

import io.github.onsdelay.core.RetrySchedule;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one producer, fixed once the application has started: where it sends, when each attempt
 * is due, how long a send may take and how early the broker releases each message. Built from
 * {@code mqs.ons.producers.<name>}; {@code OnsProducerSettingsCustomizer} beans may replace parts of it.
 *
 * @param name the producer's name: its {@code mqs.ons.producers} key
 * @param topic topic it sends to, a DELAY topic
 * @param tag tag of every message unless a send names its own, or null for none
 * @param schedule when each attempt is due
 * @param sendTimeout longest a send waits for the broker to accept a message
 * @param deliveryLead how long before its due time the broker releases each message; zero for no lead
 */
public record ProducerSettings(String name, String topic, @Nullable String tag, RetrySchedule schedule,
        Duration sendTimeout, Duration deliveryLead) {

    public ProducerSettings {
        if (name.isBlank()) {
            throw new IllegalArgumentException("Producer name must not be blank");
        }
        if (topic.isBlank()) {
            throw new IllegalArgumentException("Topic of producer '" + name + "' must not be blank");
        }
        if (tag != null && !isValidTag(tag)) {
            throw new IllegalArgumentException("Tag '" + tag + "' of producer '" + name + "' is not a plain tag");
        }
        if (sendTimeout.isNegative() || sendTimeout.isZero()) {
            throw new IllegalArgumentException("Send timeout of producer '" + name + "' must be positive, was "
                + sendTimeout);
        }
        if (deliveryLead.isNegative()) {
            throw new IllegalArgumentException("Delivery lead of producer '" + name + "' must not be negative, was "
                + deliveryLead);
        }
    }

    /** Whether a tag is one plain tag: not blank, without the subscription syntax {@code ||} and {@code *}. */
    public static boolean isValidTag(String tag) {
        return !tag.isBlank() && !tag.contains("||") && !tag.contains("*");
    }

    public ProducerSettings withSchedule(RetrySchedule schedule) {
        return new ProducerSettings(name, topic, tag, schedule, sendTimeout, deliveryLead);
    }

    public ProducerSettings withSendTimeout(Duration sendTimeout) {
        return new ProducerSettings(name, topic, tag, schedule, sendTimeout, deliveryLead);
    }

    public ProducerSettings withDeliveryLead(Duration deliveryLead) {
        return new ProducerSettings(name, topic, tag, schedule, sendTimeout, deliveryLead);
    }

}
