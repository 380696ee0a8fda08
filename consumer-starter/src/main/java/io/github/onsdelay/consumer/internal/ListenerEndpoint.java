package io.github.onsdelay.consumer.internal;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import io.github.onsdelay.consumer.Exhaustion;
import io.github.onsdelay.producer.ProducerSettings;
import org.jspecify.annotations.Nullable;

/**
 * One {@code @OnsListener} method as discovered and checked: what its container is built for. Settings it
 * leaves to its container factory are null.
 *
 * @param id the container's id
 * @param group its consumer group
 * @param producer the producer whose messages it handles
 * @param subscription topic to tag expression
 * @param invoker runs the method
 * @param exhaustionHandler its {@code @OnsExhausted} method, the {@code ExhaustionHandler} bean, or a WARN line
 * @param idempotent whether each attempt is handled once, recorded in the journal
 * @param containerFactory name of the container factory bean it is built by
 * @param concurrency its own concurrency, or null
 * @param autoStartup its own auto-startup, or null
 * @param handlerTimeout its own handler timeout, or null
 */
record ListenerEndpoint(String id, String group, ProducerSettings producer, Map<String, String> subscription,
        HandlerInvoker invoker, Consumer<Exhaustion> exhaustionHandler, boolean idempotent, String containerFactory,
        @Nullable Integer concurrency, @Nullable Boolean autoStartup, @Nullable Duration handlerTimeout) {

    ListenerEndpoint {
        subscription = Map.copyOf(subscription);
    }

}
