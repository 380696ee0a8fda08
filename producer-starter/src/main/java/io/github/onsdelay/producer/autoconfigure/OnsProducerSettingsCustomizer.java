package io.github.onsdelay.producer.autoconfigure;

import io.github.onsdelay.producer.ProducerSettings;

/**
 * Adjusts a producer's settings after they are read from {@code mqs.ons.producers.<name>} and checked, and
 * before the producer is built (for example, a demo that shortens every delay).
 */
@FunctionalInterface
public interface OnsProducerSettingsCustomizer {

    /** The settings to use instead of {@code settings}; return them unchanged for producers to leave alone. */
    ProducerSettings customize(ProducerSettings settings);

}
