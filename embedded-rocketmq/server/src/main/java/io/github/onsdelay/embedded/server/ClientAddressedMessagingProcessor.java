package io.github.onsdelay.embedded.server;

import java.util.List;

import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.proxy.common.Address;
import org.apache.rocketmq.proxy.common.ProxyContext;
import org.apache.rocketmq.proxy.processor.DefaultMessagingProcessor;
import org.apache.rocketmq.proxy.service.ServiceManagerFactory;
import org.apache.rocketmq.proxy.service.route.ProxyTopicRouteData;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;

/**
 * The local-mode proxy's processor, whose routes send each client back to the address it connected to.
 *
 * <p>In local mode the proxy's routes name the broker's host and the proxy's own gRPC port, whatever address the
 * client used, so a client that reached the server through a TCP proxy (the tests' fault proxy) would send and
 * receive around it. A cluster-mode proxy behind a load balancer answers with the client's own address
 * ({@code useEndpointPortFromRequest}); this does the same in local mode. A client that connects directly gets
 * the route it got before.
 */
final class ClientAddressedMessagingProcessor extends DefaultMessagingProcessor {

    private final BrokerController broker;

    private ClientAddressedMessagingProcessor(BrokerController broker) {
        super(ServiceManagerFactory.createForLocalMode(broker, null));
        this.broker = broker;
    }

    static ClientAddressedMessagingProcessor forLocalMode(BrokerController broker) {
        return new ClientAddressedMessagingProcessor(broker);
    }

    @Override
    public ProxyTopicRouteData getTopicRouteDataForProxy(ProxyContext ctx, List<Address> requestHostAndPortList,
            String topicName) throws Exception {
        ProxyTopicRouteData route = super.getTopicRouteDataForProxy(ctx, requestHostAndPortList, topicName);
        if (!requestHostAndPortList.isEmpty()) {
            // Each call builds a new route: changing it here changes no cached one.
            route.getBrokerDatas().forEach(broker -> broker.getBrokerAddrs()
                .replaceAll((brokerId, addresses) -> requestHostAndPortList));
        }
        return route;
    }

    /**
     * A group is created on first use, as the broker does for its own requests ({@code autoCreateSubscriptionGroup})
     * and as a cluster-mode proxy gets it by asking the broker. A 5.5 proxy in local mode reads the broker's table
     * directly instead and refuses a client of a group not created yet ("group not found"); 5.3 never asked.
     */
    @Override
    public SubscriptionGroupConfig getSubscriptionGroupConfig(ProxyContext ctx, String consumerGroupName) {
        return broker.getSubscriptionGroupManager().findSubscriptionGroupConfig(consumerGroupName);
    }

}
