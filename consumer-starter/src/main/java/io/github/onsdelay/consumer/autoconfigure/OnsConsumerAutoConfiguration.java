package io.github.onsdelay.consumer.autoconfigure;

import io.github.onsdelay.consumer.DeliveryJournal;
import io.github.onsdelay.consumer.ExhaustionRecoverer;
import io.github.onsdelay.consumer.OnsDeliveryFilter;
import io.github.onsdelay.consumer.OnsListenerContainerFactory;
import io.github.onsdelay.consumer.actuate.OnsDelayReporter;
import io.github.onsdelay.consumer.internal.ListenerContainerRegistry;
import io.github.onsdelay.consumer.internal.OnsListenerMethodProcessor;
import io.github.onsdelay.consumer.internal.RecentListenerEvents;
import io.github.onsdelay.consumer.observation.OnsListenerObservationConvention;
import io.github.onsdelay.core.PayloadConverter;
import io.github.onsdelay.core.TimedMessageSender;
import io.github.onsdelay.core.autoconfigure.OnsProperties;
import io.github.onsdelay.producer.OnsProducerRegistry;
import io.github.onsdelay.producer.autoconfigure.OnsProducerAutoConfiguration;
import io.micrometer.observation.ObservationRegistry;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Auto-configuration of {@code @OnsListener} methods: the {@link OnsListenerContainerFactory} configured from
 * {@code mqs.ons.consumer.*}, the filter and recoverer beans and the customizers; the built-in roles (the
 * dead-letter forward, and with a journal its cancellation filter and exhausted-message record), each a bean a
 * bean of the same name replaces; the {@code OnsListenerRegistry} with one container per listener, started
 * after the context is refreshed and stopped gracefully before the producer closes; each handler run observed in
 * the application's {@code ObservationRegistry}; the recent retries and exhaustions and the report built from
 * them, for operators.
 */
@AutoConfiguration(after = OnsProducerAutoConfiguration.class)
@ConditionalOnClass(SimpleConsumer.class)
@ConditionalOnBean(OnsProducerRegistry.class)
@EnableConfigurationProperties(OnsConsumerProperties.class)
public final class OnsConsumerAutoConfiguration {

    /** Order of the built-in recoverers: the dead-letter forward first, then the journal's record. */
    static final int DEAD_LETTER_ORDER = 100;

    static final int JOURNAL_ORDER = 200;

    @Bean(OnsListenerContainerFactory.DEFAULT_BEAN_NAME)
    @ConditionalOnMissingBean(name = OnsListenerContainerFactory.DEFAULT_BEAN_NAME)
    OnsListenerContainerFactory onsListenerContainerFactory(OnsConsumerProperties properties,
            ObjectProvider<OnsDeliveryFilter> filters, ObjectProvider<ExhaustionRecoverer> recoverers,
            ObjectProvider<OnsListenerContainerFactoryCustomizer> customizers) {
        OnsListenerContainerFactory.Builder builder = ContainerFactoryPropertiesMapper.builder(properties)
            .filters(filters.orderedStream().toList())
            .recoverers(recoverers.orderedStream().toList());
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return ContainerFactoryPropertiesMapper.build(builder, properties);
    }

    @Bean
    @Order(DEAD_LETTER_ORDER)
    @ConditionalOnProperty("mqs.ons.consumer.dead-letter-topic")
    @ConditionalOnMissingBean(name = "onsDeadLetterRecoverer")
    ExhaustionRecoverer onsDeadLetterRecoverer(OnsConsumerProperties properties, TimedMessageSender sender,
            OnsProperties client) {
        String topic = ContainerFactoryPropertiesMapper.deadLetterTopic(properties);
        return ExhaustionRecoverer.deadLetterTopic(topic, sender, client.getRequestTimeout());
    }

    @Bean
    ListenerContainerRegistry onsListenerRegistry(TimedMessageSender sender) {
        return new ListenerContainerRegistry(sender.clock());
    }

    @Bean
    RecentListenerEvents onsListenerEvents() {
        return new RecentListenerEvents();
    }

    @Bean
    OnsDelayReporter onsDelayReporter(OnsProducerRegistry producers, ListenerContainerRegistry listeners,
            RecentListenerEvents events, TimedMessageSender sender) {
        return new OnsDelayReporter(producers, listeners, events, sender);
    }

    @Bean
    OnsListenerMethodProcessor onsListenerMethodProcessor(ListenerContainerRegistry registry,
            OnsProducerRegistry producers, TimedMessageSender sender, PayloadConverter converter,
            ClientServiceProvider provider, ClientConfiguration configuration,
            ObjectProvider<OnsSimpleConsumerBuilderCustomizer> customizers, RecentListenerEvents events,
            ObjectProvider<ObservationRegistry> observations,
            ObjectProvider<OnsListenerObservationConvention> convention) {
        return new OnsListenerMethodProcessor(registry, producers, sender, converter,
            () -> provider.newSimpleConsumerBuilder().setClientConfiguration(configuration),
            builder -> customizers.orderedStream().forEach(customizer -> customizer.customize(builder)),
            observations.getIfUnique(() -> ObservationRegistry.NOOP), convention.getIfUnique(), events);
    }

    /** The journal's roles for listeners, when the application has one ({@code ons-delay-jdbc}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(DeliveryJournal.class)
    static class JournalRoles {

        @Bean
        @Order(0)
        @ConditionalOnMissingBean(name = "onsCancelledKeyFilter")
        OnsDeliveryFilter onsCancelledKeyFilter(DeliveryJournal journal) {
            return OnsDeliveryFilter.cancelledKeys(journal);
        }

        @Bean
        @Order(JOURNAL_ORDER)
        @ConditionalOnMissingBean(name = "onsJournalRecoverer")
        ExhaustionRecoverer onsJournalRecoverer(DeliveryJournal journal) {
            return ExhaustionRecoverer.journal(journal);
        }

    }

}
