package io.github.onsdelay.producer.autoconfigure;

import java.time.Clock;
import java.util.Objects;

import io.github.onsdelay.producer.Fastjson2PayloadConverter;
import io.github.onsdelay.producer.OnsDelayException;
import io.github.onsdelay.producer.PayloadConverter;
import io.github.onsdelay.producer.ProducerSettings;
import io.github.onsdelay.producer.internal.DelayMessageSender;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientConfigurationBuilder;
import org.apache.rocketmq.client.apis.ClientException;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.client.apis.producer.ProducerBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.NestedExceptionUtils;

/**
 * Auto-configuration of ons-delay producers: one client configuration and one rocketmq-client-java
 * producer, built at start-up and closed at shutdown, and one {@code DefaultDelayProducer} bean per
 * {@code mqs.ons.producers} entry that no {@code AbstractProducer} subclass covers.
 */
@AutoConfiguration
@ConditionalOnClass(Producer.class)
@EnableConfigurationProperties(OnsProperties.class)
public final class OnsProducerAutoConfiguration {

    private static final Log LOG = LogFactory.getLog(OnsProducerAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    ClientServiceProvider onsClientServiceProvider() {
        return ClientServiceProvider.loadService();
    }

    @Bean
    @ConditionalOnMissingBean
    ClientConfiguration onsClientConfiguration(OnsProperties properties,
            ObjectProvider<OnsClientConfigurationCustomizer> customizers) {
        ClientConfigurationBuilder builder = OnsClientConfigurationFactory.builder(properties);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Producer onsRocketMQProducer(ClientServiceProvider provider, ClientConfiguration configuration,
            OnsProperties properties, ObjectProvider<OnsProducerBuilderCustomizer> customizers) {
        String[] topics = properties.getProducers().values().stream().map(ProducerSettings::getTopic)
            .filter(Objects::nonNull).distinct().toArray(String[]::new);
        ProducerBuilder builder = provider.newProducerBuilder().setClientConfiguration(configuration);
        if (topics.length > 0) {
            builder.setTopics(topics);
        }
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        try {
            Producer producer = builder.build();
            LOG.info("RocketMQ producer started for " + String.join(";", properties.getEndpoints()));
            return producer;
        }
        catch (ClientException | RuntimeException ex) {
            // rocketmq-client-java reports a failed start as a service state error; the cause says why.
            throw new OnsDelayException("Cannot start the RocketMQ producer for mqs.ons.endpoints="
                + String.join(";", properties.getEndpoints()) + ": " + NestedExceptionUtils.getMostSpecificCause(ex)
                    .getMessage()
                + " (is the proxy running, do the producers' topics exist, and are mqs.ons.access-key and "
                + "secret-key right?)", ex);
        }
    }

    @Bean
    @ConditionalOnMissingBean
    PayloadConverter onsPayloadConverter() {
        return new Fastjson2PayloadConverter();
    }

    @Bean
    @ConditionalOnMissingBean
    DelayMessageSender onsDelayMessageSender(Producer producer, ClientServiceProvider provider,
            PayloadConverter converter, ObjectProvider<Clock> clock, OnsProperties properties) {
        return new DelayMessageSender(producer, provider, converter, clock.getIfUnique(Clock::systemUTC),
            properties.getMaxDelay(), properties.isHopsEnabled());
    }

    @Bean
    static OnsProducerRegistrar onsProducerRegistrar() {
        return new OnsProducerRegistrar();
    }

}
