package io.github.onsdelay.core.autoconfigure;

import org.apache.rocketmq.client.apis.ClientConfigurationBuilder;

/**
 * Customizes the rocketmq-client-java {@code ClientConfiguration} after {@code mqs.ons} properties are
 * applied, for settings that have no property.
 */
@FunctionalInterface
public interface OnsClientConfigurationCustomizer {

    void customize(ClientConfigurationBuilder builder);

}
