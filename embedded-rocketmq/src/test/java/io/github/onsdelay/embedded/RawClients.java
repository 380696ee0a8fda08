package io.github.onsdelay.embedded;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientException;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.ConsumeResult;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.FilterExpressionType;
import org.apache.rocketmq.client.apis.consumer.PushConsumer;
import org.apache.rocketmq.client.apis.message.Message;
import org.apache.rocketmq.client.apis.producer.Producer;

/** Plain rocketmq-client-java, as an application would use it against the embedded server. */
final class RawClients {

    static final ClientServiceProvider PROVIDER = ClientServiceProvider.loadService();

    private RawClients() {
    }

    static ClientConfiguration configuration(EmbeddedRocketMQBroker broker) {
        return ClientConfiguration.newBuilder()
            .setEndpoints(broker.endpoints())
            .enableSsl(false)
            .setRequestTimeout(Duration.ofSeconds(3))
            .build();
    }

    static Producer producer(EmbeddedRocketMQBroker broker, String topic) throws ClientException {
        return PROVIDER.newProducerBuilder().setClientConfiguration(configuration(broker)).setTopics(topic).build();
    }

    static Message timed(String topic, String body, long deliveryTimestamp) {
        return PROVIDER.newMessageBuilder().setTopic(topic).setTag("t").setBody(body.getBytes())
            .setDeliveryTimestamp(deliveryTimestamp).build();
    }

    /** A push consumer that records each delivery with the time it arrived. */
    static Received consume(EmbeddedRocketMQBroker broker, String topic, String group) throws ClientException {
        Received received = new Received();
        received.consumer = PROVIDER.newPushConsumerBuilder()
            .setClientConfiguration(configuration(broker))
            .setConsumerGroup(group)
            .setSubscriptionExpressions(Map.of(topic, new FilterExpression("*", FilterExpressionType.TAG)))
            .setMessageListener(view -> {
                long now = System.currentTimeMillis();
                received.deliveries.add(new Delivery(new String(toArray(view.getBody())),
                    view.getDeliveryTimestamp().orElse(0L), now));
                return ConsumeResult.SUCCESS;
            })
            .build();
        return received;
    }

    private static byte[] toArray(java.nio.ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    record Delivery(String body, long due, long arrived) {

        long lateness() {
            return arrived - due;
        }

    }

    static final class Received implements AutoCloseable {

        final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

        PushConsumer consumer;

        @Override
        public void close() throws Exception {
            consumer.close();
        }

    }

}
