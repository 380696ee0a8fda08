package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.test.TestApplication;
import io.github.onsdelay.core.OnsMessageProperties;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientException;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.message.Message;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.client.apis.producer.RecallReceipt;
import org.apache.rocketmq.client.apis.producer.SendReceipt;
import org.apache.rocketmq.client.apis.producer.Transaction;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The real client and server, with the first re-send of a retry refused, as when the broker is briefly
 * unreachable: the original delivery must not be acknowledged, and the broker must deliver it again.
 */
@SpringBootTest(classes = {TestApplication.class, ResendFailureIntegrationTests.RefusingProducerConfig.class}, properties = {
    "mqs.ons.producers.partner-push.topic=consumer_resend",
    "mqs.ons.producers.partner-push.delays=1s"
})
@EmbeddedRocketMQ(topics = "consumer_resend")
class ResendFailureIntegrationTests {

    @Autowired
    @Qualifier("partner-push")
    DelayProducer partnerPush;

    @Autowired
    Handler handler;

    @Autowired
    RefusingFirstRetries producer;

    @Test
    void failedReSendLeavesTheOriginalUnacknowledgedSoItIsDeliveredAgain() {
        partnerPush.send(DelayMessage.of("push-1").withKey("push-1"));

        await().atMost(Duration.ofSeconds(40)).until(() -> handler.succeeded.get() == 1);
        // attempt 0 failed; its retry was refused; the delivery was given back and the broker delivered attempt 0
        // again; that retry went through.
        assertThat(handler.calls).extracting(DeliveryContext::attempt).containsExactly(0, 0, 1);
        assertThat(handler.calls).extracting(DeliveryContext::brokerDeliveryAttempt).startsWith(1, 2);
        assertThat(producer.refused.get()).isEqualTo(1);
    }

    static class Handler {

        final List<DeliveryContext> calls = new CopyOnWriteArrayList<>();

        final AtomicInteger succeeded = new AtomicInteger();

        @OnsListener(producer = "partner-push", group = "resend-group")
        boolean push(String body, DeliveryContext context) {
            calls.add(context);
            if (context.attempt() == 0) {
                return false;
            }
            succeeded.incrementAndGet();
            return true;
        }

    }

    /** Delegates to a real producer, refusing the first retry sent through it. */
    static class RefusingFirstRetries implements Producer {

        final AtomicInteger refused = new AtomicInteger();

        private final Producer delegate;

        RefusingFirstRetries(Producer delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletableFuture<SendReceipt> sendAsync(Message message) {
            if (message.getProperties().containsKey(OnsMessageProperties.TARGET_GROUP)
                    && refused.compareAndSet(0, 1)) {
                return CompletableFuture.failedFuture(new IllegalStateException("injected: broker unreachable"));
            }
            return delegate.sendAsync(message);
        }

        @Override
        public SendReceipt send(Message message) throws ClientException {
            return delegate.send(message);
        }

        @Override
        public SendReceipt send(Message message, Transaction transaction) throws ClientException {
            return delegate.send(message, transaction);
        }

        @Override
        public Transaction beginTransaction() throws ClientException {
            return delegate.beginTransaction();
        }

        @Override
        public RecallReceipt recallMessage(String topic, String recallHandle) throws ClientException {
            return delegate.recallMessage(topic, recallHandle);
        }

        @Override
        public CompletableFuture<RecallReceipt> recallMessageAsync(String topic, String recallHandle) {
            return delegate.recallMessageAsync(topic, recallHandle);
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }

    }

    /** The application's RocketMQ producer, replaced by one that refuses the first retry. */
    @Configuration(proxyBeanMethods = false)
    static class RefusingProducerConfig {

        @Bean
        Handler handler() {
            return new Handler();
        }

        @Bean(destroyMethod = "close")
        RefusingFirstRetries onsRocketMQProducer(ClientServiceProvider provider, ClientConfiguration configuration)
                throws ClientException {
            return new RefusingFirstRetries(provider.newProducerBuilder().setClientConfiguration(configuration).build());
        }

    }

}
