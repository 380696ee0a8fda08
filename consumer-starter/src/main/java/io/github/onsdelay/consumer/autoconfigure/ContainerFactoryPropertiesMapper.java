package io.github.onsdelay.consumer.autoconfigure;

import io.github.onsdelay.consumer.OnsListenerContainerFactory;
import io.github.onsdelay.core.OnsConfigurationException;

/**
 * Applies {@code mqs.ons.consumer.*} to a listener container factory's builder; the builder checks the values
 * and names the properties that are out of range.
 */
final class ContainerFactoryPropertiesMapper {

    private ContainerFactoryPropertiesMapper() {
    }

    static OnsListenerContainerFactory.Builder builder(OnsConsumerProperties properties) {
        return OnsListenerContainerFactory.builder()
            .concurrency(properties.getConcurrency())
            .autoStartup(properties.isAutoStartup())
            .maxHeldMessages(properties.getMaxHeldMessages())
            .maxHeldBytes(properties.getMaxHeldSize().toBytes())
            .receiveBatchSize(properties.getReceiveBatchSize())
            .receivesInFlight(properties.getReceivesInFlight())
            .awaitDuration(properties.getAwaitDuration())
            .invisibleDuration(properties.getInvisibleDuration())
            .renewBefore(properties.getRenewBefore())
            .holdHorizon(properties.getHoldHorizon())
            .handlerTimeout(properties.getHandlerTimeout())
            .shutdownTimeout(properties.getShutdownTimeout())
            .maxDeliveries(properties.getMaxDeliveries());
    }

    /** Builds the factory; every problem, the dead-letter topic's included, is reported at once. */
    static OnsListenerContainerFactory build(OnsListenerContainerFactory.Builder builder,
            OnsConsumerProperties properties) {
        String topic = properties.getDeadLetterTopic();
        String blank = topic != null && topic.isBlank() ? BLANK_DEAD_LETTER_TOPIC : null;
        OnsListenerContainerFactory factory;
        try {
            factory = builder.build();
        }
        catch (OnsConfigurationException ex) {
            throw blank == null ? ex : new OnsConfigurationException(ex.getMessage() + "\n - " + blank);
        }
        if (blank != null) {
            throw new OnsConfigurationException("Listener container factory is misconfigured:\n - " + blank);
        }
        return factory;
    }

    private static final String BLANK_DEAD_LETTER_TOPIC = "mqs.ons.consumer.dead-letter-topic is blank: name a DELAY "
        + "topic, or leave it unset";

    static String deadLetterTopic(OnsConsumerProperties properties) {
        String topic = properties.getDeadLetterTopic();
        if (topic == null || topic.isBlank()) {
            // The recoverer bean may be created before the factory: report the other properties' problems too.
            build(builder(properties), properties);
            throw new OnsConfigurationException(BLANK_DEAD_LETTER_TOPIC);
        }
        return topic.trim();
    }

}
