package io.github.onsdelay.consumer.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import io.github.onsdelay.consumer.ListenerEvent;
import io.github.onsdelay.consumer.OnsListenerEvents;

/**
 * The last {@value #CAPACITY} retries and exhaustions of every listener, in memory, for the Actuator endpoint
 * and the live page.
 */
public final class RecentListenerEvents implements OnsListenerEvents {

    static final int CAPACITY = 200;

    private static final int DETAIL_LENGTH = 300;

    private final Deque<ListenerEvent> events = new ArrayDeque<>();

    void record(ListenerEvent event) {
        String detail = event.detail().length() <= DETAIL_LENGTH ? event.detail()
            : event.detail().substring(0, DETAIL_LENGTH) + "...";
        ListenerEvent kept = new ListenerEvent(event.type(), event.group(), event.producer(), event.businessKey(),
            event.attempt(), event.at(), event.nextDueAt(), detail);
        synchronized (events) {
            events.addFirst(kept);
            while (events.size() > CAPACITY) {
                events.removeLast();
            }
        }
    }

    @Override
    public List<ListenerEvent> getRecentEvents() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

}
