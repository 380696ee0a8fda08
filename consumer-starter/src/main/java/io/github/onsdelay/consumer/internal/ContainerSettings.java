package io.github.onsdelay.consumer.internal;

import java.time.Duration;
import java.util.Map;

import io.github.onsdelay.consumer.OnsListenerContainerFactory;
import io.github.onsdelay.producer.ProducerSettings;

/**
 * What one listener's container runs with: its listener's own settings, and those of its container factory.
 *
 * @param id the container's id
 * @param group its consumer group
 * @param producer settings of the producer whose messages it handles
 * @param subscription topic to tag expression
 * @param concurrency most handler runs at once
 * @param autoStartup whether it starts with the application
 * @param maxHeldMessages most messages held or handled at once (held until due, queued, in progress)
 * @param maxHeldBytes most body bytes held or handled at once, to within one message
 * @param invisibleDuration how long a received message stays invisible to the group's other consumers
 *     unless renewed: after a crash, what this container held comes back after about this long
 * @param renewBefore how long before a lease's invisibility ends it is renewed
 * @param awaitDuration longest a receive waits at the proxy for messages
 * @param receiveBatchSize most messages one receive asks for
 * @param receivesInFlight receives in progress at once
 * @param holdHorizon messages due later than this after they arrive are sent on as hops instead of held
 * @param handlerTimeout longest a handler runs before its attempt counts as failed
 * @param shutdownTimeout longest a stop waits for handlers in progress
 * @param maxDeliveries how often the broker delivers a message before it moves it to the group's dead-letter
 *     queue
 */
record ContainerSettings(String id, String group, ProducerSettings producer, Map<String, String> subscription,
        int concurrency, boolean autoStartup, int maxHeldMessages, long maxHeldBytes, Duration invisibleDuration,
        Duration renewBefore, Duration awaitDuration, int receiveBatchSize, int receivesInFlight, Duration holdHorizon,
        Duration handlerTimeout, Duration shutdownTimeout, int maxDeliveries) {

    /** The hold horizon when the factory sets none: the producer's lead and 10 s to spare. */
    static final Duration HORIZON_BEYOND_LEAD = Duration.ofSeconds(10);

    ContainerSettings {
        subscription = Map.copyOf(subscription);
    }

    /** A listener's settings: its own where it sets them, else its factory's. */
    static ContainerSettings of(ListenerEndpoint endpoint, OnsListenerContainerFactory factory) {
        Duration horizon = factory.getHoldHorizon() != null ? factory.getHoldHorizon()
            : endpoint.producer().deliveryLead().plus(HORIZON_BEYOND_LEAD);
        return new ContainerSettings(endpoint.id(), endpoint.group(), endpoint.producer(), endpoint.subscription(),
            endpoint.concurrency() != null ? endpoint.concurrency() : factory.getConcurrency(),
            endpoint.autoStartup() != null ? endpoint.autoStartup() : factory.isAutoStartup(),
            factory.getMaxHeldMessages(), factory.getMaxHeldBytes(), factory.getInvisibleDuration(),
            factory.getRenewBefore(), factory.getAwaitDuration(), factory.getReceiveBatchSize(),
            factory.getReceivesInFlight(), horizon,
            endpoint.handlerTimeout() != null ? endpoint.handlerTimeout() : factory.getHandlerTimeout(),
            factory.getShutdownTimeout(), factory.getMaxDeliveries());
    }

}
