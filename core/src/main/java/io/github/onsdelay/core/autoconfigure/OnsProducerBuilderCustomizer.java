package io.github.onsdelay.core.autoconfigure;

import org.apache.rocketmq.client.apis.producer.ProducerBuilder;

/**
 * Customizes the builder of the application's one rocketmq-client-java producer (for example its topics, whose
 * routes it then fetches at start-up) before it is built.
 *
 * <p>The builder comes with {@code maxAttempts} 1: ons-delay retries a send itself, within its
 * {@code send-timeout}. A customizer that raises it lets the client start attempts after a send was reported
 * failed, which may store a message its caller then sends again.
 */
@FunctionalInterface
public interface OnsProducerBuilderCustomizer {

    void customize(ProducerBuilder builder);

}
