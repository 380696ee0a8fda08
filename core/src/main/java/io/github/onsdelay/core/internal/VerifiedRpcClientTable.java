package io.github.onsdelay.core.internal;

import java.util.HashMap;

import org.apache.rocketmq.client.java.route.Endpoints;
import org.apache.rocketmq.client.java.rpc.RpcClient;
import org.apache.rocketmq.client.java.rpc.RpcClientImpl;

/**
 * A RocketMQ client's table of gRPC clients, one per endpoint, in which every client gets a verified channel as it
 * is added.
 *
 * <p>The client creates each gRPC client for an endpoint it has not talked to (its configured endpoints, and each
 * one a route names: in a CLUSTER-mode proxy's routes, the endpoints the request named; in a LOCAL-mode proxy's,
 * the broker's host), and adds it here before its first call: so every call the client makes (routes, sends,
 * receives, acknowledgements, its telemetry stream) goes over a channel that verified the proxy. The table is
 * otherwise the client's own {@link HashMap}, guarded by the client's lock.
 */
final class VerifiedRpcClientTable extends HashMap<Endpoints, RpcClient> {

    private static final long serialVersionUID = 1L;

    private final transient VerifiedTls tls;

    VerifiedRpcClientTable(VerifiedTls tls) {
        this.tls = tls;
    }

    /**
     * @throws IllegalStateException for a gRPC client of another kind, whose channel cannot be replaced: the call
     *     that needed it fails rather than going out unverified
     */
    @Override
    public RpcClient put(Endpoints endpoints, RpcClient rpcClient) {
        if (!(rpcClient instanceof RpcClientImpl impl)) {
            throw new IllegalStateException("mqs.ons.ssl.bundle cannot verify the channel of "
                + rpcClient.getClass().getName() + " to " + endpoints + ": ons-delay replaces the channels of "
                + RpcClientImpl.class.getName() + " only");
        }
        ClientInternals.verify(impl, tls.channel(endpoints));
        return super.put(endpoints, rpcClient);
    }

}
