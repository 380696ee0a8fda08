package io.github.onsdelay.consumer;

import java.util.Map;

/**
 * The container behind one {@link OnsListener}: it receives its group's messages, holds each until it is
 * due, runs the handler and acknowledges. Obtain it from the {@link OnsListenerRegistry} to control it at
 * run time.
 */
public interface OnsListenerContainer {

    /** What a container is doing. */
    enum State {

        /** Not receiving; holds nothing. */
        STOPPED,

        /** Receiving and handling messages at their due time. */
        RUNNING,

        /** Connected but not receiving; messages it holds wait, handlers in progress finish. */
        PAUSED,

        /** Running, but its last receive failed (the server is unreachable or refused it); it keeps trying. */
        FAILING

    }

    /** The container's id: {@link OnsListener#id()}, or its group. */
    String getId();

    /** The consumer group it receives for. */
    String getGroup();

    /** Name of the producer whose messages it handles. */
    String getProducer();

    /** Topic and tag expression it subscribes to. */
    Map<String, String> getSubscription();

    /** The handler method, as {@code Bean.method(Types)}. */
    String getListenerDescription();

    /** Most handler runs at once. */
    int getConcurrency();

    boolean isAutoStartup();

    State getState();

    default boolean isRunning() {
        return getState() == State.RUNNING || getState() == State.FAILING;
    }

    default boolean isPaused() {
        return getState() == State.PAUSED;
    }

    /**
     * Starts receiving. Does nothing when it is running; a paused container is resumed.
     * @throws io.github.onsdelay.core.OnsDelayException when the consumer cannot be created (the server is not
     *     reachable, the group or topic is refused)
     */
    void start();

    /**
     * Stops gracefully: stops receiving, gives the messages it holds back to the group at once (another
     * instance, or this one after {@link #start()}, receives them again), lets handlers in progress finish
     * within the shutdown timeout, then closes the consumer.
     */
    void stop();

    /** Stops receiving and handling; messages it holds wait, and handlers in progress finish. */
    void pause();

    /** Receives and handles again after {@link #pause()}; held messages that fell due meanwhile run at once. */
    void resume();

    /** What it has done and what it holds now. */
    ListenerFigures getFigures();

}
