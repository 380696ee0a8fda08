package io.github.onsdelay.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.onsdelay.core.ClientConnections;
import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.test.FaultProxy;
import io.github.onsdelay.test.FaultProxy.Direction;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientException;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.message.Message;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.junit.jupiter.api.Test;

/**
 * {@link ClientConnections} reaches the gRPC channels of a real rocketmq-client-java producer that has sent, along
 * the client's private fields: a client whose fields were renamed fails here.
 */
@EmbeddedRocketMQ(topics = "client_connections_it")
class ClientConnectionsIntegrationTests {

    private static final ClientServiceProvider PROVIDER = ClientServiceProvider.loadService();

    /**
     * Measured: a close whose calls were ended finished 53-99 ms after the timeout, with other builds running (load
     * average 4-7); ten times that.
     */
    private static final Duration CLOSE_MARGIN = Duration.ofSeconds(1);

    @Test
    void reconnectNowReachesTheChannelOfAProducerThatHasSentThroughItsWrapperToo(EmbeddedRocketMQBroker broker)
            throws Exception {
        Producer producer = producer(broker.endpoints());
        Producer bounded = ClientConnections.boundedClose(producer, Duration.ofSeconds(5));
        try {
            producer.send(message("sent-once"));

            assertThat(ClientConnections.reconnectNow(producer)).isEqualTo(1);
            assertThat(ClientConnections.reconnectNow(bounded)).isEqualTo(1);
        }
        finally {
            bounded.close();
        }
    }

    @Test
    void closeWithinEndsTheCloseOfAProducerWhoseServerWentSilent(EmbeddedRocketMQBroker broker) throws Exception {
        Duration timeout = Duration.ofSeconds(1);
        try (FaultProxy proxy = FaultProxy.start(broker.endpoints())) {
            Producer producer = producer(proxy.endpoint());
            producer.send(message("sent-before-the-silence"));
            // The client's close waits for the server to end its telemetry stream, which a silent server never does.
            proxy.blackHole(Direction.BOTH);

            long began = System.nanoTime();
            boolean ended = ClientConnections.closeWithin(producer, timeout, "a producer whose server went silent");
            Duration took = Duration.ofNanos(System.nanoTime() - began);

            System.out.printf("Close of a producer behind a silent network, bounded at %d ms: ended %s after %d ms%n",
                timeout.toMillis(), ended, took.toMillis());
            assertThat(ended).isTrue();
            assertThat(took).isGreaterThanOrEqualTo(timeout).isLessThan(timeout.plus(CLOSE_MARGIN));
        }
    }

    private static Producer producer(String endpoints) throws ClientException {
        return PROVIDER.newProducerBuilder()
            .setClientConfiguration(ClientConfiguration.newBuilder().setEndpoints(endpoints).enableSsl(false)
                .setRequestTimeout(Duration.ofSeconds(3)).build())
            .setTopics("client_connections_it")
            .build();
    }

    private static Message message(String body) {
        return PROVIDER.newMessageBuilder().setTopic("client_connections_it").setTag("t")
            .setBody(body.getBytes(StandardCharsets.UTF_8)).setDeliveryTimestamp(System.currentTimeMillis()).build();
    }

}
