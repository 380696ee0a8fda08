package io.github.onsdelay.core.autoconfigure;

import org.apache.rocketmq.client.apis.producer.ProducerBuilder;

/**
 * Customizes the builder of the application's one rocketmq-client-java producer (for example its
 * {@code maxAttempts}) before it is built at start-up.
 */
@FunctionalInterface
public interface OnsProducerBuilderCustomizer {

    void customize(ProducerBuilder builder);

}
