package io.github.onsdelay.consumer;

/**
 * Runs once for each exhausted message of every listener that has no {@link OnsExhausted} method of its
 * own. Without such a bean, exhaustion is logged at WARN with producer, group, business key and attempts.
 * If it throws, the message is not acknowledged and the broker delivers it again.
 */
@FunctionalInterface
public interface ExhaustionHandler {

    void onExhausted(Exhaustion exhaustion);

}
