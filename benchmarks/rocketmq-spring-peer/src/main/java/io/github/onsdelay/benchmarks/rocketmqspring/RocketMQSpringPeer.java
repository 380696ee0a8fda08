package io.github.onsdelay.benchmarks.rocketmqspring;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.onsdelay.benchmarks.peers.Peer;
import io.github.onsdelay.benchmarks.peers.Versions;
import org.apache.rocketmq.client.annotation.RocketMQMessageListener;
import org.apache.rocketmq.client.apis.consumer.ConsumeResult;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.apache.rocketmq.client.core.RocketMQClientTemplate;
import org.apache.rocketmq.client.core.RocketMQListener;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * rocketmq-spring's v5 starter as its users write it: {@link RocketMQClientTemplate#syncSendDelayMessage} for a
 * delay, {@code syncSendNormalMessage} for work handled at once, and a {@link RocketMQMessageListener} per topic
 * whose {@link ConsumeResult#FAILURE} leaves the retry to the server (the consumer group's retry policy: the
 * starter has no per-message retry delay).
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({RocketMQSpringPeer.DelayedListener.class, RocketMQSpringPeer.RetriedListener.class})
public class RocketMQSpringPeer implements Peer {

    static final String DELAY_TOPIC = "peer_rmqspring_delay";

    static final String RETRY_TOPIC = "peer_rmqspring_retry";

    /** Set before the listeners see the first message; the listeners are Spring's, so they reach it statically. */
    private static volatile Delivery delivery = body -> { };

    private final RocketMQClientTemplate template;

    public RocketMQSpringPeer(RocketMQClientTemplate template) {
        this.template = template;
    }

    @Override
    public String name() {
        return "rocketmq-spring";
    }

    @Override
    public String settings() {
        return "rocketmq-v5-client-spring-boot-starter " + Versions.of("org.apache.rocketmq",
            "rocketmq-v5-client-spring-boot", RocketMQClientTemplate.class) + " (rocketmq-client-java "
            + Versions.of("org.apache.rocketmq", "rocketmq-client-java", MessageView.class) + "), Spring Boot "
            + org.springframework.boot.SpringBootVersion.getVersion() + ", in a JVM of its own; @RocketMQMessageListener "
            + "defaults (20 consumption threads; the starter's listeners connect with TLS, the client's default, which "
            + "the embedded proxy accepts); same embedded server as ons-delay";
    }

    @Override
    public void start(Delivery delivery) {
        RocketMQSpringPeer.delivery = delivery;
    }

    @Override
    public void sendDelayed(String body, long dueEpochMillis) {
        template.syncSendDelayMessage(DELAY_TOPIC + ":peer", body.getBytes(StandardCharsets.UTF_8),
            Duration.ofMillis(Math.max(0, dueEpochMillis - System.currentTimeMillis())));
    }

    @Override
    public String asyncApi() {
        return "RocketMQClientTemplate.asyncSendDelayMessage";
    }

    @Override
    public java.util.concurrent.CompletableFuture<?> sendDelayedAsync(java.util.List<String> bodies, long dueEpochMillis) {
        Duration delay = Duration.ofMillis(Math.max(0, dueEpochMillis - System.currentTimeMillis()));
        return java.util.concurrent.CompletableFuture.allOf(bodies.stream()
            .map(body -> template.asyncSendDelayMessage(DELAY_TOPIC + ":peer", body.getBytes(StandardCharsets.UTF_8), delay, null))
            .toArray(java.util.concurrent.CompletableFuture[]::new));
    }

    @Override
    public void sendRetried(String body) {
        template.syncSendNormalMessage(RETRY_TOPIC + ":peer", body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String retryNote() {
        return "by the server, after the consumer group's retry policy: not a delay the application sets per message";
    }

    @Override
    public void close() {
    }

    static ConsumeResult consume(MessageView message) {
        byte[] bytes = new byte[message.getBody().remaining()];
        message.getBody().duplicate().get(bytes);
        try {
            delivery.handle(new String(bytes, StandardCharsets.UTF_8));
            return ConsumeResult.SUCCESS;
        }
        catch (Exception ex) {
            return ConsumeResult.FAILURE;
        }
    }

    @RocketMQMessageListener(topic = DELAY_TOPIC, tag = "*", consumerGroup = "peer-rmqspring-delay")
    static class DelayedListener implements RocketMQListener {

        @Override
        public ConsumeResult consume(MessageView message) {
            return RocketMQSpringPeer.consume(message);
        }

    }

    @RocketMQMessageListener(topic = RETRY_TOPIC, tag = "*", consumerGroup = "peer-rmqspring-retry")
    static class RetriedListener implements RocketMQListener {

        @Override
        public ConsumeResult consume(MessageView message) {
            return RocketMQSpringPeer.consume(message);
        }

    }

}
