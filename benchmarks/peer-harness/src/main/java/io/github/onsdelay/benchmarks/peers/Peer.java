package io.github.onsdelay.benchmarks.peers;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One delay and retry library under test, with its server already running: it sends bodies and hands every
 * delivery to the {@link Delivery} it was started with.
 * <ul>
 * <li>{@link #sendDelayed}: handled at a due time, as the peer delays a message;</li>
 * <li>{@link #sendRetried}: handled now; a delivery that throws is handled again 1 s later, by the peer's own
 * retry where it has one;</li>
 * <li>{@link #sendDelayedAsync}: many delayed bodies through the peer's own asynchronous or batch API, named by
 * {@link #asyncApi};</li>
 * <li>{@link #cannotDelay} / {@link #cannotRetry}: why the peer cannot do a scenario, reported as such.</li>
 * </ul>
 * Every other send is synchronous: it returns once the peer's server has accepted the body.
 */
public interface Peer extends AutoCloseable {

    /** The name in the table. */
    String name();

    /** Versions and the settings that matter, for the table's notes. */
    String settings();

    /** Starts the consuming side; every delivery of every body goes to {@code delivery}. */
    void start(Delivery delivery) throws Exception;

    /** Sends {@code body} to be handled at {@code dueEpochMillis}. */
    void sendDelayed(String body, long dueEpochMillis) throws Exception;

    /** Sends {@code body} to be handled at once; if its handling throws, handled again 1 s later. */
    void sendRetried(String body) throws Exception;

    /** The peer's own asynchronous or batch send, as the table names it, or {@code null} when it has none. */
    default String asyncApi() {
        return null;
    }

    /**
     * Sends {@code bodies}, each to be handled at {@code dueEpochMillis}, through {@link #asyncApi}: the future
     * completes once the peer's server has accepted all of them (at once for a batch call that returned).
     */
    default CompletableFuture<?> sendDelayedAsync(List<String> bodies, long dueEpochMillis) throws Exception {
        throw new UnsupportedOperationException(name() + " has no asynchronous or batch send");
    }

    /** Why this peer cannot delay one message by its own delay, or {@code null} when it can. */
    default String cannotDelay() {
        return null;
    }

    /** Why this peer cannot retry a failed delivery 1 s later, or {@code null} when it can. */
    default String cannotRetry() {
        return null;
    }

    /** How the retry is made when the peer has none of its own (for example re-sent by the handler), or {@code null}. */
    default String retryNote() {
        return null;
    }

    /** The handler every delivery reaches; it throws to fail the delivery. */
    @FunctionalInterface
    interface Delivery {

        void handle(String body) throws Exception;

    }

}
