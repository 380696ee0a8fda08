package io.github.onsdelay.consumer;

/**
 * What a listener's container has done since the application started, and what it holds now.
 *
 * @param received messages received from the broker
 * @param heldEarly messages that arrived before their due time and were held until it (without the hold,
 *     their handler would have run early)
 * @param held messages waiting now for their due time or for a free handler
 * @param peakHeld the most messages held or handled at once
 * @param inFlight handler runs in progress now
 * @param succeeded handler runs that succeeded
 * @param retried handler runs that failed and sent the next attempt
 * @param exhausted messages whose last attempt failed
 * @param poison messages whose body or properties could not be read
 * @param hops messages due too far ahead to hold, sent on
 * @param otherGroups retries and hops addressed to another group, acknowledged and left alone
 * @param givenBack deliveries given back to the broker to be delivered again (a failed send or exhaustion
 *     handler, a stop)
 * @param lateness how late handlers started after their due time
 */
public record ListenerFigures(long received, long heldEarly, int held, int peakHeld, int inFlight, long succeeded,
        long retried, long exhausted, long poison, long hops, long otherGroups, long givenBack,
        LatenessHistogram lateness) {
}
