package io.github.onsdelay.embedded;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A message for {@link EmbeddedRocketMQBroker#sendWithRemotingClient}: what a 4.x-style (remoting) producer
 * sends, with the timer settings of that API.
 *
 * <pre>{@code
 * broker.sendWithRemotingClient(RemotingMessage.of("order_cancel", body).tag("cancel").delayTimeSec(5));
 * }</pre>
 *
 * @param topic topic to send to
 * @param tag tag, or an empty string for none
 * @param keys message keys, or an empty string for none
 * @param body message body
 * @param properties user properties
 * @param timer timer settings by name: {@code deliverTimeMs}, {@code delayTimeSec}, {@code delayTimeMs},
 *     {@code delayLevel}
 */
public record RemotingMessage(String topic, String tag, String keys, byte[] body, Map<String, String> properties,
        Map<String, Long> timer) {

    public RemotingMessage {
        Objects.requireNonNull(topic, "topic");
        properties = Map.copyOf(properties);
        timer = Map.copyOf(timer);
    }

    /** A plain message: no tag, keys, properties or timer. */
    public static RemotingMessage of(String topic, byte[] body) {
        return new RemotingMessage(topic, "", "", body, Map.of(), Map.of());
    }

    public RemotingMessage tag(String tag) {
        return new RemotingMessage(topic, tag, keys, body, properties, timer);
    }

    public RemotingMessage keys(String keys) {
        return new RemotingMessage(topic, tag, keys, body, properties, timer);
    }

    /** With a user property, such as ONS's {@code __STARTDELIVERTIME}. */
    public RemotingMessage property(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(properties);
        copy.put(name, value);
        return new RemotingMessage(topic, tag, keys, body, copy, timer);
    }

    /** Delivered at an absolute time ({@code Message.setDeliverTimeMs}, property {@code TIMER_DELIVER_MS}). */
    public RemotingMessage deliverTimeMs(long epochMillis) {
        return withTimer("deliverTimeMs", epochMillis);
    }

    /** Delivered after a delay in seconds ({@code Message.setDelayTimeSec}, property {@code TIMER_DELAY_SEC}). */
    public RemotingMessage delayTimeSec(long seconds) {
        return withTimer("delayTimeSec", seconds);
    }

    /** Delivered after a delay in milliseconds ({@code Message.setDelayTimeMs}, property {@code TIMER_DELAY_MS}). */
    public RemotingMessage delayTimeMs(long millis) {
        return withTimer("delayTimeMs", millis);
    }

    /** Delivered after a 4.x delay level: 1 = 1s, 2 = 5s, 3 = 10s, 4 = 30s, 5 = 1m, ... 18 = 2h. */
    public RemotingMessage delayLevel(int level) {
        return withTimer("delayLevel", level);
    }

    private RemotingMessage withTimer(String name, long value) {
        Map<String, Long> copy = new LinkedHashMap<>(timer);
        copy.put(name, value);
        return new RemotingMessage(topic, tag, keys, body, properties, copy);
    }

}
