package io.github.onsdelay.embedded;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an {@link EmbeddedRocketMQ} annotation asks for, as a value: equal settings share a server and a
 * cached Spring test context.
 */
record EmbeddedRocketMQSettings(Duration timerPrecision, Duration maxDelay, Map<String, TopicMessageType> topics,
        Set<String> groups, String endpointsProperty) {

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    EmbeddedRocketMQSettings {
        topics = Collections.unmodifiableMap(new LinkedHashMap<>(topics));
        groups = Collections.unmodifiableSet(new LinkedHashSet<>(groups));
    }

    static EmbeddedRocketMQSettings of(EmbeddedRocketMQ annotation) {
        Map<String, TopicMessageType> topics = new LinkedHashMap<>();
        for (String topic : annotation.topics()) {
            topics.put(topic, TopicMessageType.DELAY);
        }
        for (String topic : annotation.normalTopics()) {
            topics.put(topic, TopicMessageType.NORMAL);
        }
        for (String topic : annotation.fifoTopics()) {
            topics.put(topic, TopicMessageType.FIFO);
        }
        return new EmbeddedRocketMQSettings(Duration.ofMillis(annotation.timerPrecisionMs()),
            parseDuration("maxDelay", annotation.maxDelay()), topics, Set.of(annotation.groups()),
            annotation.endpointsProperty());
    }

    /** What makes two servers different; topics and groups are added to a shared server instead. */
    ServerKey serverKey() {
        return new ServerKey(timerPrecision, maxDelay);
    }

    EmbeddedRocketMQBroker.Builder newBuilder() {
        return EmbeddedRocketMQBroker.builder().timerPrecision(timerPrecision).maxDelay(maxDelay);
    }

    /** Creates what this class asks for on a (possibly shared) running broker. */
    void applyTo(EmbeddedRocketMQBroker broker) {
        topics.forEach(broker::createTopic);
        groups.forEach(broker::createGroup);
    }

    /** {@code 500ms}, {@code 5s}, {@code 10m}, {@code 2h}, {@code 1d} (a plain number means seconds) or ISO-8601. */
    static Duration parseDuration(String attribute, String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        Matcher matcher = SIMPLE_DURATION.matcher(value);
        try {
            if (!matcher.matches()) {
                return Duration.parse(text.trim());
            }
            long amount = Long.parseLong(matcher.group(1));
            String unit = matcher.group(2) == null ? "s" : matcher.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> Duration.ofSeconds(amount);
            };
        }
        catch (RuntimeException ex) {
            throw new IllegalArgumentException("@EmbeddedRocketMQ(" + attribute + " = \"" + text
                + "\") is not a duration: use 500ms, 5s, 10m, 2h, 1d or ISO-8601 such as PT10M", ex);
        }
    }

    record ServerKey(Duration timerPrecision, Duration maxDelay) {
    }

}
