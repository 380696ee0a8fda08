package io.github.onsdelay.consumer.internal;

import java.time.Duration;
import java.util.Map;

import io.github.onsdelay.producer.ProducerSettings;

/**
 * What one listener's container is set up with, checked at start-up.
 *
 * @param id the container's id
 * @param group its consumer group
 * @param producer settings of the producer whose messages it handles
 * @param subscription topic to tag expression
 * @param concurrency most handler runs at once
 * @param autoStartup whether it starts with the application
 * @param maxHeldMessages most messages held or handled at once (held until due, queued, in progress)
 * @param maxHeldBytes most body bytes held or handled at once; receiving pauses above it
 * @param invisibleDuration how long a received message stays invisible to the group's other consumers
 *     unless renewed: after a crash, what this container held comes back after about this long
 * @param awaitDuration longest a receive waits at the proxy for messages
 * @param receiveBatchSize most messages one receive asks for
 * @param receivers receives in progress at once
 * @param holdHorizon messages due later than this after they arrive are sent on as hops instead of held
 * @param shutdownTimeout longest a stop waits for handlers in progress
 */
record ContainerSettings(String id, String group, ProducerSettings producer, Map<String, String> subscription,
        int concurrency, boolean autoStartup, int maxHeldMessages, long maxHeldBytes, Duration invisibleDuration,
        Duration awaitDuration, int receiveBatchSize, int receivers, Duration holdHorizon, Duration shutdownTimeout) {

    ContainerSettings {
        subscription = Map.copyOf(subscription);
    }

}
