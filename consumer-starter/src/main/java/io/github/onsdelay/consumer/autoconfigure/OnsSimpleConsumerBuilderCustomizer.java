package io.github.onsdelay.consumer.autoconfigure;

import org.apache.rocketmq.client.apis.consumer.SimpleConsumerBuilder;

/**
 * Customizes the builder of every listener container's rocketmq-client-java simple consumer (for example its
 * await duration) before the container sets its group and subscription.
 */
@FunctionalInterface
public interface OnsSimpleConsumerBuilderCustomizer {

    void customize(SimpleConsumerBuilder builder);

}
