package io.github.onsdelay.embedded;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.convert.DurationStyle;

/**
 * What an {@link EmbeddedRocketMQ} annotation asks for, as a value: equal settings share a server and a
 * cached Spring test context.
 */
record EmbeddedRocketMQSettings(Duration timerPrecision, Duration maxDelay, Map<String, TopicMessageType> topics,
        Set<String> groups, String endpointsProperty, double timeScale) {

    /** Without Spring Boot (plain JUnit), durations are ISO-8601 only. */
    private static final boolean SPRING_BOOT_PRESENT = isPresent("org.springframework.boot.convert.DurationStyle");

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
            annotation.endpointsProperty(), annotation.timeScale());
    }

    /** What makes two servers different; topics and groups are added to a shared server instead. */
    ServerKey serverKey() {
        return new ServerKey(timerPrecision);
    }

    /**
     * A shared server is never killed and its store is deleted at exit, so its timer wheel is written to disk
     * once a minute instead of every second, which saves about 2 % of a core for as long as it runs.
     */
    EmbeddedRocketMQBroker.Builder newBuilder() {
        return EmbeddedRocketMQBroker.builder().timerPrecision(timerPrecision).maxDelay(maxDelay)
            .timerFlushInterval(Duration.ofMinutes(1));
    }

    /** Creates what this class asks for on a (possibly shared) running broker. */
    void applyTo(EmbeddedRocketMQBroker broker) {
        broker.maxDelay(maxDelay);
        topics.forEach(broker::createTopic);
        groups.forEach(broker::createGroup);
    }

    /** {@code 500ms}, {@code 5s}, {@code 10m}, {@code 2h}, {@code 1d} (a plain number means seconds) or ISO-8601. */
    static Duration parseDuration(String attribute, String text) {
        try {
            if (SPRING_BOOT_PRESENT) {
                return BootDurations.parse(text.trim());
            }
            return Duration.parse(text.trim());
        }
        catch (RuntimeException ex) {
            throw new IllegalArgumentException("@EmbeddedRocketMQ(" + attribute + " = \"" + text + "\") is not a "
                + "duration: use " + (SPRING_BOOT_PRESENT ? "500ms, 5s, 10m, 2h, 1d or " : "") + "ISO-8601 such as PT10M",
                ex);
        }
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, EmbeddedRocketMQSettings.class.getClassLoader());
            return true;
        }
        catch (ClassNotFoundException | LinkageError ex) {
            return false;
        }
    }

    /** Apart, so that Spring Boot's type is loaded only when it is there. */
    private static final class BootDurations {

        static Duration parse(String text) {
            return DurationStyle.detectAndParse(text, ChronoUnit.SECONDS);
        }

    }

    /** What a shared server cannot change once started; the max delay it can, class by class (see applyTo). */
    record ServerKey(Duration timerPrecision) {
    }

}
