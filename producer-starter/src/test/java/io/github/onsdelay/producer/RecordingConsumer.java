package io.github.onsdelay.producer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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

/** A plain rocketmq-client-java push consumer that records what arrives and when. */
final class RecordingConsumer implements AutoCloseable {

    final List<Received> received = new CopyOnWriteArrayList<>();

    private final PushConsumer consumer;

    RecordingConsumer(String endpoints, String topic, String group) throws ClientException {
        ClientServiceProvider provider = ClientServiceProvider.loadService();
        this.consumer = provider.newPushConsumerBuilder()
            .setClientConfiguration(ClientConfiguration.newBuilder().setEndpoints(endpoints).enableSsl(false)
                .setRequestTimeout(Duration.ofSeconds(3)).build())
            .setConsumerGroup(group)
            .setSubscriptionExpressions(Map.of(topic, new FilterExpression("*", FilterExpressionType.TAG)))
            .setMessageListener(view -> {
                long arrived = System.currentTimeMillis();
                received.add(new Received(text(view.getBody()), view.getTag().orElse(null),
                    List.copyOf(view.getKeys()), view.getProperties(), view.getDeliveryTimestamp().orElse(0L), arrived));
                return ConsumeResult.SUCCESS;
            })
            .build();
    }

    private static String text(ByteBuffer body) {
        byte[] bytes = new byte[body.remaining()];
        body.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    Received only(String bodyFragment) {
        return received.stream().filter(message -> message.body().contains(bodyFragment)).findFirst()
            .orElseThrow(() -> new AssertionError("Nothing received containing " + bodyFragment + " in " + received));
    }

    boolean has(String bodyFragment) {
        return received.stream().anyMatch(message -> message.body().contains(bodyFragment));
    }

    @Override
    public void close() throws Exception {
        consumer.close();
    }

    record Received(String body, String tag, List<String> keys, Map<String, String> properties,
            long deliveryTimestamp, long arrived) {

        long property(String name) {
            return Long.parseLong(properties.get(name));
        }

    }

}
