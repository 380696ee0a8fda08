package io.github.onsdelay.consumer;

import java.util.List;

/**
 * The most recent retries and exhaustions of every listener, newest first, kept in memory (the last 200).
 */
@FunctionalInterface
public interface OnsListenerEvents {

    List<ListenerEvent> getRecentEvents();

}
