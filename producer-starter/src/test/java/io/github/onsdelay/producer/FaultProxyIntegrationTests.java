package io.github.onsdelay.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.test.FaultProxy;
import io.github.onsdelay.test.FaultProxy.Direction;
import io.github.onsdelay.test.RecordingConsumer;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.client.apis.producer.SendReceipt;
import org.junit.jupiter.api.Test;

/** The fault proxy between a plain rocketmq-client-java producer and the real server, passing everything. */
@EmbeddedRocketMQ(topics = "fault_proxy_it")
class FaultProxyIntegrationTests {

    private static final ClientServiceProvider PROVIDER = ClientServiceProvider.loadService();

    private static final int BODY_BYTES = 64 * 1024;

    @Test
    void aRealGrpcClientSendsThroughThePassingProxy(EmbeddedRocketMQBroker broker) throws Exception {
        try (FaultProxy proxy = FaultProxy.start(broker.endpoints());
                RecordingConsumer consumer = new RecordingConsumer(broker.endpoints(), "fault_proxy_it",
                    "fault-proxy-it-reader");
                Producer producer = PROVIDER.newProducerBuilder()
                    .setClientConfiguration(ClientConfiguration.newBuilder().setEndpoints(proxy.endpoint())
                        .enableSsl(false).setRequestTimeout(Duration.ofSeconds(3)).build())
                    .setTopics("fault_proxy_it")
                    .build()) {
            proxy.pass();

            // Large enough to tell the send from the route queries and heartbeats; small enough not to be compressed.
            String body = "through-the-proxy " + "x".repeat(BODY_BYTES);
            SendReceipt receipt = producer.send(PROVIDER.newMessageBuilder().setTopic("fault_proxy_it").setTag("t")
                .setBody(body.getBytes(StandardCharsets.UTF_8)).setDeliveryTimestamp(System.currentTimeMillis())
                .build());

            assertThat(receipt.getMessageId()).isNotNull();
            await().atMost(Duration.ofSeconds(15)).until(() -> consumer.has("through-the-proxy"));
            // The send itself went through the proxy, not only the route query (the consumer reads directly).
            assertThat(proxy.connectionsAccepted()).isPositive();
            assertThat(proxy.bytesForwarded(Direction.CLIENT_TO_SERVER)).isGreaterThan(BODY_BYTES);
            assertThat(proxy.bytesForwarded(Direction.SERVER_TO_CLIENT)).isPositive();
            assertThat(proxy.bytesDropped(Direction.BOTH)).isZero();
        }
    }

}
