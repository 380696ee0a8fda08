package io.github.onsdelay.benchmarks;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;

import com.alibaba.fastjson2.JSON;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientException;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.ConsumeResult;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.FilterExpressionType;
import org.apache.rocketmq.client.apis.consumer.PushConsumer;
import org.apache.rocketmq.client.apis.message.Message;
import org.apache.rocketmq.client.apis.message.MessageBuilder;
import org.apache.rocketmq.client.apis.producer.Producer;

/**
 * Plain rocketmq-client-java as an application without ons-delay uses it: the side the library is measured
 * against, and the loader that sends the consume rows' messages to both sides.
 */
final class RawClient {

    private static final ClientServiceProvider PROVIDER = ClientServiceProvider.loadService();

    private RawClient() {
    }

    /** A producer for every topic of the benchmark. */
    static Producer producer(EmbeddedRocketMQBroker broker) throws ClientException {
        return PROVIDER.newProducerBuilder().setClientConfiguration(configuration(broker))
            .setTopics(EmbeddedServers.TOPICS.toArray(String[]::new)).build();
    }

    /** What a raw consumer's handler is given: the payload's id and the message's delivery timestamp. */
    @FunctionalInterface
    interface Handler {

        void handle(String id, long deliveryTimestamp);

    }

    /** A push consumer (the client's defaults: 20 consumption threads) that reads each body into a {@link Payload}. */
    static PushConsumer consumer(EmbeddedRocketMQBroker broker, String topic, String group, Handler handler)
            throws ClientException {
        return PROVIDER.newPushConsumerBuilder()
            .setClientConfiguration(configuration(broker))
            .setConsumerGroup(group)
            .setSubscriptionExpressions(Map.of(topic, new FilterExpression("*", FilterExpressionType.TAG)))
            .setMessageListener(view -> {
                ByteBuffer body = view.getBody();
                byte[] bytes = new byte[body.remaining()];
                body.duplicate().get(bytes);
                // Equal work to the library's: the body is read into the payload type.
                Payload payload = JSON.parseObject(bytes, Payload.class);
                handler.handle(payload.id(), view.getDeliveryTimestamp().orElse(0L));
                return ConsumeResult.SUCCESS;
            })
            .build();
    }

    /** The benchmark's 1 KB JSON payload with this id, delivered at {@code deliveryTimestamp}. */
    static Message message(String topic, String id, long deliveryTimestamp) {
        return messageBuilder(topic, id, deliveryTimestamp).build();
    }

    /** {@link #message}'s builder, for a message that carries more. */
    static MessageBuilder messageBuilder(String topic, String id, long deliveryTimestamp) {
        return PROVIDER.newMessageBuilder().setTopic(topic).setTag("bench").setKeys(id)
            .setBody(JSON.toJSONBytes(Payload.of(id))).setDeliveryTimestamp(deliveryTimestamp);
    }

    private static ClientConfiguration configuration(EmbeddedRocketMQBroker broker) {
        return ClientConfiguration.newBuilder().setEndpoints(broker.endpoints()).enableSsl(false)
            .setRequestTimeout(Duration.ofSeconds(3)).build();
    }

}
