package io.github.onsdelay.consumer.autoconfigure;

import org.apache.rocketmq.client.apis.consumer.PushConsumerBuilder;

/**
 * Customizes the builder of every listener's push consumer after {@code mqs.ons.consumer} properties are
 * applied (group, subscription and message listener are set by the starter afterwards).
 */
@FunctionalInterface
public interface OnsPushConsumerBuilderCustomizer {

    void customize(PushConsumerBuilder builder);

}
