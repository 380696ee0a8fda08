package io.github.onsdelay.core.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.apache.rocketmq.client.java.route.Endpoints;
import org.apache.rocketmq.client.java.rpc.RpcClient;
import org.apache.rocketmq.client.java.rpc.RpcClientImpl;
import org.jspecify.annotations.Nullable;

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
        try {
            ClientInternals.verify(impl, tls.channel(endpoints));
        }
        catch (RuntimeException ex) {
            // Its own channel, never used, must not outlive the failure; nothing is added, the call fails.
            ClientInternals.close(impl);
            throw ex;
        }
        return super.put(endpoints, rpcClient);
    }

    // The client adds with put only (rocketmq-client-java 5.2.0); any other way would skip the verification.

    @Override
    public @Nullable RpcClient putIfAbsent(Endpoints endpoints, RpcClient rpcClient) {
        throw unverified();
    }

    @Override
    public void putAll(Map<? extends Endpoints, ? extends RpcClient> clients) {
        throw unverified();
    }

    @Override
    public RpcClient computeIfAbsent(Endpoints endpoints,
            Function<? super Endpoints, ? extends RpcClient> mapping) {
        throw unverified();
    }

    @Override
    public @Nullable RpcClient compute(Endpoints endpoints,
            BiFunction<? super Endpoints, ? super @Nullable RpcClient, ? extends RpcClient> remapping) {
        throw unverified();
    }

    @Override
    public @Nullable RpcClient merge(Endpoints endpoints, RpcClient rpcClient,
            BiFunction<? super RpcClient, ? super RpcClient, ? extends RpcClient> remapping) {
        throw unverified();
    }

    @Override
    public @Nullable RpcClient replace(Endpoints endpoints, RpcClient rpcClient) {
        throw unverified();
    }

    private static UnsupportedOperationException unverified() {
        return new UnsupportedOperationException("mqs.ons.ssl.bundle verifies the channels the RocketMQ client adds "
            + "with put only; this rocketmq-client-java adds them another way: use rocketmq-client-java 5.2.0");
    }

}
