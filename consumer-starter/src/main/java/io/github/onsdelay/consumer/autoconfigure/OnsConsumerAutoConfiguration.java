package io.github.onsdelay.consumer.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.github.onsdelay.consumer.internal.ListenerContainerRegistry;
import io.github.onsdelay.consumer.internal.OnsListenerAnnotationBeanPostProcessor;
import io.github.onsdelay.producer.OnsConfigurationException;
import io.github.onsdelay.producer.autoconfigure.OnsProducerAutoConfiguration;
import io.github.onsdelay.producer.internal.DelayMessageSender;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.PushConsumer;
import org.apache.rocketmq.client.apis.consumer.PushConsumerBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of {@code @OnsListener} methods: one push consumer per listener's group, started
 * after the context is refreshed and stopped gracefully before the producer closes.
 */
@AutoConfiguration(after = OnsProducerAutoConfiguration.class)
@ConditionalOnClass(PushConsumer.class)
@ConditionalOnBean(DelayMessageSender.class)
@EnableConfigurationProperties(OnsConsumerProperties.class)
public final class OnsConsumerAutoConfiguration {

    @Bean
    static OnsListenerAnnotationBeanPostProcessor onsListenerAnnotationBeanPostProcessor() {
        return new OnsListenerAnnotationBeanPostProcessor();
    }

    @Bean
    ListenerContainerRegistry onsListenerContainerRegistry(OnsConsumerProperties properties) {
        validate(properties);
        return new ListenerContainerRegistry(properties.getShutdownTimeout());
    }

    @Bean
    OnsListenerAnnotationBeanPostProcessor.Infrastructure onsListenerInfrastructure(DelayMessageSender sender,
            ListenerContainerRegistry registry, ClientServiceProvider provider, ClientConfiguration configuration,
            OnsConsumerProperties properties, ObjectProvider<OnsPushConsumerBuilderCustomizer> customizers) {
        return new OnsListenerAnnotationBeanPostProcessor.Infrastructure(sender, registry, () -> {
            PushConsumerBuilder builder = provider.newPushConsumerBuilder()
                .setClientConfiguration(configuration)
                .setConsumptionThreadCount(properties.getConsumptionThreads())
                .setMaxCacheMessageCount(properties.getMaxCacheMessageCount())
                .setMaxCacheMessageSizeInBytes((int) Math.min(Integer.MAX_VALUE, properties.getMaxCacheMessageSize().toBytes()));
            customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
            return builder;
        }, properties.getDeadLetterTopic());
    }

    private static void validate(OnsConsumerProperties properties) {
        List<String> problems = new ArrayList<>();
        if (properties.getConsumptionThreads() < 1) {
            problems.add("mqs.ons.consumer.consumption-threads=" + properties.getConsumptionThreads() + " must be at least 1");
        }
        if (properties.getMaxCacheMessageCount() < 1) {
            problems.add("mqs.ons.consumer.max-cache-message-count=" + properties.getMaxCacheMessageCount()
                + " must be at least 1");
        }
        if (properties.getMaxCacheMessageSize().toBytes() < 1) {
            problems.add("mqs.ons.consumer.max-cache-message-size=" + properties.getMaxCacheMessageSize()
                + " must be positive");
        }
        if (properties.getShutdownTimeout().isNegative()) {
            problems.add("mqs.ons.consumer.shutdown-timeout=" + properties.getShutdownTimeout() + " must not be negative");
        }
        if (!problems.isEmpty()) {
            throw new OnsConfigurationException("Consumers are misconfigured:\n - " + String.join("\n - ", problems));
        }
    }

}
