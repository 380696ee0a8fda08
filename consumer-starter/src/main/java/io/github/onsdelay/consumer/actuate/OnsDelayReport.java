package io.github.onsdelay.consumer.actuate;

import java.util.List;
import java.util.Map;

import io.github.onsdelay.consumer.ListenerEvent;
import io.github.onsdelay.consumer.ListenerFigures;
import io.github.onsdelay.core.SendFigures;
import org.jspecify.annotations.Nullable;

/**
 * What an application's ons-delay does, at a glance: its producers, its listeners with their state and
 * figures, and the recent retries and exhaustions. The {@code onsdelay} Actuator endpoint and the live page
 * show it.
 *
 * @param producers every producer
 * @param listeners every listener container
 * @param recentEvents the most recent retries and exhaustions, newest first
 */
public record OnsDelayReport(List<Producer> producers, List<Listener> listeners, List<ListenerEvent> recentEvents) {

    /**
     * A producer's settings; durations in ISO-8601.
     *
     * @param name its name
     * @param topic the topic it sends to
     * @param tag its tag, or null
     * @param initialDelay the delay of attempt 0
     * @param delays the retry delays
     * @param sendTimeout the send timeout
     * @param deliveryLead how long before its due time the broker releases each message
     * @param figures what its sends from the application have come to
     */
    public record Producer(String name, String topic, @Nullable String tag, String initialDelay, List<String> delays,
            String sendTimeout, String deliveryLead, SendFigures figures) {
    }

    /**
     * A listener container.
     *
     * @param id its id in the registry
     * @param group its consumer group
     * @param producer the producer whose messages it handles
     * @param subscription topic to tag expression
     * @param handler the handler method
     * @param state what it is doing
     * @param concurrency most handler runs at once
     * @param autoStartup whether it starts with the application
     * @param figures what it has done and holds
     */
    public record Listener(String id, String group, String producer, Map<String, String> subscription, String handler,
            String state, int concurrency, boolean autoStartup, ListenerFigures figures) {
    }

}
