package io.github.onsdelay.benchmarks;

import io.github.onsdelay.benchmarks.peers.Peer;
import io.github.onsdelay.consumer.OnsListener;

/** ons-delay's handlers in the peer benchmark: one for delayed bodies, one for retried ones. */
public class PeerListeners {

    static volatile Peer.Delivery delivery = body -> {
    };

    @OnsListener(producer = "peer-delay", group = "peer-ons-delay")
    public boolean delayed(Payload payload) {
        return handle(payload);
    }

    @OnsListener(producer = "peer-retry", group = "peer-ons-retry")
    public boolean retried(Payload payload) {
        return handle(payload);
    }

    /** A failed delivery answers false: the library schedules the next attempt, as for a thrown exception. */
    private static boolean handle(Payload payload) {
        try {
            delivery.handle(payload.id());
            return true;
        }
        catch (Exception ex) {
            return false;
        }
    }

}
