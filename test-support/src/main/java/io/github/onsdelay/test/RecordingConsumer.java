package io.github.onsdelay.test;

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
import org.jspecify.annotations.Nullable;

/** A plain rocketmq-client-java push consumer (not ons-delay) that records what arrives and when. */
public final class RecordingConsumer implements AutoCloseable {

    private final List<Received> received = new CopyOnWriteArrayList<>();

    private final PushConsumer consumer;

    public RecordingConsumer(String endpoints, String topic, String group) throws ClientException {
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

    /** The one message whose body contains {@code bodyFragment}. */
    public Received only(String bodyFragment) {
        List<Received> matching = received.stream().filter(message -> message.body().contains(bodyFragment)).toList();
        if (matching.size() != 1) {
            throw new AssertionError(matching.size() + " messages contain " + bodyFragment + ": " + received);
        }
        return matching.get(0);
    }

    public boolean has(String bodyFragment) {
        return received.stream().anyMatch(message -> message.body().contains(bodyFragment));
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() throws Exception {
        consumer.close();
    }

    /**
     * One message as it arrived.
     *
     * @param body the body as text
     * @param tag its tag, or null
     * @param keys its keys
     * @param properties its user properties
     * @param deliveryTimestamp the time the broker was asked to release it (0 for none)
     * @param arrived when it reached the listener, epoch milliseconds
     */
    public record Received(String body, @Nullable String tag, List<String> keys, Map<String, String> properties,
            long deliveryTimestamp, long arrived) {

        public long property(String name) {
            return Long.parseLong(properties.get(name));
        }

    }

}
