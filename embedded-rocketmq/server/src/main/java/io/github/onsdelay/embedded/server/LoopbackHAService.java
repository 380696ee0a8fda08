package io.github.onsdelay.embedded.server;

import org.apache.rocketmq.store.ha.DefaultHAService;

/**
 * The HA service of a lone master: it never opens its replication port, which the default one would
 * open on every interface. Installed through RocketMQ's {@code META-INF/service/} lookup.
 */
public class LoopbackHAService extends DefaultHAService {

    @Override
    public void start() {
        // No slaves: nothing to accept, nothing to transfer.
    }

}
