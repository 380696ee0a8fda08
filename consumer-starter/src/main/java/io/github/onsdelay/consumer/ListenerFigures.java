package io.github.onsdelay.consumer;

import java.util.Map;

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
 * @param filtered deliveries acknowledged without a handler run, by the name of the filter that skipped them
 *     ({@code cancelled}, {@code handled}, and the application's own)
 * @param copiesJoined copies of a message already held that the broker delivered again (a replay after a
 *     crash), handled once with it
 * @param renewalFailures renewals of a held message's invisibility that failed (each is tried again)
 * @param leasesLost held messages whose invisibility ended before a renewal took: the broker may deliver them
 *     to another consumer
 * @param settlementFailures acknowledgements and give-backs the broker did not confirm (a timeout, a refused or
 *     lost connection): those messages are delivered again once their invisibility ends
 * @param outcomesDiscarded handler outcomes not applied (no retry, no exhaustion) because the lease was lost
 *     meanwhile, and whoever has the message now decides
 * @param timedOut handler runs that did not end within the handler timeout and counted as failed
 * @param handedOver held messages sent on as new messages at a stop, for the group's other instances
 * @param resent deliveries near the broker's redelivery limit sent again as new messages instead of given back
 * @param heldBytes body bytes of the messages held or handled now
 * @param peakHeldBytes the most body bytes held or handled at once
 */
public record ListenerFigures(long received, long heldEarly, int held, int peakHeld, int inFlight, long succeeded,
        long retried, long exhausted, long poison, long hops, long otherGroups, long givenBack,
        LatenessHistogram lateness, Map<String, Long> filtered, long copiesJoined, long renewalFailures,
        long leasesLost, long settlementFailures, long outcomesDiscarded, long timedOut, long handedOver, long resent, long heldBytes,
        long peakHeldBytes) {

    public ListenerFigures {
        filtered = Map.copyOf(filtered);
    }

}
