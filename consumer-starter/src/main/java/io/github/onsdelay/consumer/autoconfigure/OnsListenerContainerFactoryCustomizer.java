package io.github.onsdelay.consumer.autoconfigure;

import io.github.onsdelay.consumer.OnsListenerContainerFactory;

/**
 * Customizes the listener container factory Spring Boot configures, after {@code mqs.ons.consumer.*} and the
 * filter and recoverer beans were applied.
 */
@FunctionalInterface
public interface OnsListenerContainerFactoryCustomizer {

    void customize(OnsListenerContainerFactory.Builder factory);

}
