package io.github.onsdelay.core.internal;

import java.time.Duration;
import java.util.Map;

import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.LitePushConsumerBuilder;
import org.apache.rocketmq.client.apis.consumer.PushConsumerBuilder;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumerBuilder;
import org.apache.rocketmq.client.apis.message.MessageBuilder;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.client.apis.producer.ProducerBuilder;
import org.apache.rocketmq.client.apis.producer.TransactionChecker;

/**
 * The client service provider of an application with {@code mqs.ons.ssl.bundle}: its producers and simple
 * consumers verify the proxy's certificate on every channel.
 *
 * <p>Builders take their settings as the client's own do (which check them), and start the client with verified
 * channels instead ({@link ClientInternals}). Push consumers, which ons-delay does not use, are refused rather than
 * built unverified. Messages are built by the client's own provider.
 */
public final class VerifiedTlsClientServiceProvider implements ClientServiceProvider {

    private final ClientServiceProvider delegate;

    private final VerifiedTls tls;

    public VerifiedTlsClientServiceProvider(ClientServiceProvider delegate, VerifiedTls tls) {
        this.delegate = delegate;
        this.tls = tls;
    }

    @Override
    public ProducerBuilder newProducerBuilder() {
        ProducerBuilder own = delegate.newProducerBuilder();
        return new ProducerBuilder() {

            @Override
            public ProducerBuilder setClientConfiguration(ClientConfiguration configuration) {
                own.setClientConfiguration(configuration);
                return this;
            }

            @Override
            public ProducerBuilder setTopics(String... topics) {
                own.setTopics(topics);
                return this;
            }

            @Override
            public ProducerBuilder setMaxAttempts(int maxAttempts) {
                own.setMaxAttempts(maxAttempts);
                return this;
            }

            @Override
            public ProducerBuilder setTransactionChecker(TransactionChecker checker) {
                own.setTransactionChecker(checker);
                return this;
            }

            @Override
            public Producer build() {
                return ClientInternals.startProducer(own, tls);
            }
        };
    }

    @Override
    public SimpleConsumerBuilder newSimpleConsumerBuilder() {
        SimpleConsumerBuilder own = delegate.newSimpleConsumerBuilder();
        return new SimpleConsumerBuilder() {

            @Override
            public SimpleConsumerBuilder setClientConfiguration(ClientConfiguration configuration) {
                own.setClientConfiguration(configuration);
                return this;
            }

            @Override
            public SimpleConsumerBuilder setConsumerGroup(String consumerGroup) {
                own.setConsumerGroup(consumerGroup);
                return this;
            }

            @Override
            public SimpleConsumerBuilder setSubscriptionExpressions(Map<String, FilterExpression> expressions) {
                own.setSubscriptionExpressions(expressions);
                return this;
            }

            @Override
            public SimpleConsumerBuilder setAwaitDuration(Duration awaitDuration) {
                own.setAwaitDuration(awaitDuration);
                return this;
            }

            @Override
            public SimpleConsumer build() {
                return ClientInternals.startSimpleConsumer(own, tls);
            }
        };
    }

    @Override
    public PushConsumerBuilder newPushConsumerBuilder() {
        throw pushUnsupported();
    }

    @Override
    public LitePushConsumerBuilder newLitePushConsumerBuilder() {
        throw pushUnsupported();
    }

    @Override
    public MessageBuilder newMessageBuilder() {
        return delegate.newMessageBuilder();
    }

    private UnsupportedOperationException pushUnsupported() {
        return new UnsupportedOperationException("This client service provider verifies TLS with SSL bundle '"
            + tls.bundleName() + "' (mqs.ons.ssl.bundle) for producers and simple consumers only; build push "
            + "consumers from ClientServiceProvider.loadService(), whose TLS does not verify the server");
    }

}
