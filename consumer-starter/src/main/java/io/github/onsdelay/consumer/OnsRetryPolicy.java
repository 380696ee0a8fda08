package io.github.onsdelay.consumer;

import java.time.Duration;
import java.util.Optional;

/**
 * Decides, after attempt n of a message failed, when attempt n+1 runs, or that there is none and the message
 * is exhausted. The default follows the producer's {@code delays}: attempt n+1 is due {@code delays[n]} after
 * the failure. A policy of its own (set on an {@link OnsListenerContainerFactory}) may, for example, give up at
 * once on failures that a retry cannot mend:
 *
 * <pre>{@code
 * OnsRetryPolicy policy = (delivery, failure) -> failure instanceof IllegalArgumentException
 *     ? Optional.empty() : OnsRetryPolicy.producerDelays().nextDelay(delivery, failure);
 * }</pre>
 */
@FunctionalInterface
public interface OnsRetryPolicy {

    /**
     * @param delivery the attempt that failed
     * @param failure what it threw, or why it failed (a {@code false} return, a timeout)
     * @return how long after now the next attempt is due, or empty to exhaust the message
     */
    Optional<Duration> nextDelay(DeliveryContext delivery, Throwable failure);

    /** The producer's {@code delays}: attempt n+1 is due {@code delays[n]} after attempt n failed. */
    static OnsRetryPolicy producerDelays() {
        return (delivery, failure) -> delivery.retryDelays().size() > delivery.attempt()
            ? Optional.of(delivery.retryDelays().get(delivery.attempt())) : Optional.empty();
    }

}
