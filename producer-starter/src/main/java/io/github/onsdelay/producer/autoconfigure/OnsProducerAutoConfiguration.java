package io.github.onsdelay.producer.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.onsdelay.core.PayloadConverter;
import io.github.onsdelay.core.TimedMessageSender;
import io.github.onsdelay.core.autoconfigure.OnsClientAutoConfiguration;
import io.github.onsdelay.core.autoconfigure.OnsConnectionDetails;
import io.github.onsdelay.core.autoconfigure.OnsProperties;
import io.github.onsdelay.producer.DefaultDelayProducer;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.producer.OnsProducerRegistry;
import io.github.onsdelay.producer.ProducerSettings;
import io.github.onsdelay.producer.SendJournal;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of ons-delay producers: the {@link OnsProducerRegistry} with one producer per
 * {@code mqs.ons.producers} entry (checked at start-up), a {@link DelayProducer} bean named after each entry
 * that no {@code AbstractProducer} subclass covers, the binding of those subclasses, and the fetch of their topics'
 * routes at start-up.
 */
@AutoConfiguration(after = OnsClientAutoConfiguration.class)
@ConditionalOnBean(TimedMessageSender.class)
@EnableConfigurationProperties(OnsProducerProperties.class)
public final class OnsProducerAutoConfiguration {

    @Bean(OnsProducerRegistrar.REGISTRY_BEAN_NAME)
    OnsProducerRegistry onsProducerRegistry(OnsProducerProperties properties, OnsProperties connection,
            OnsConnectionDetails details, TimedMessageSender sender, PayloadConverter converter,
            ObjectProvider<OnsProducerSettingsCustomizer> customizers, ObjectProvider<SendJournal> journal,
            ConfigurableListableBeanFactory beanFactory, Environment environment) {
        Map<String, ProducerSettings> settings = new ProducerSettingsMapper(connection, details)
            .map(properties, ProducerNames.subclasses(beanFactory), environment);
        List<DelayProducer> producers = new ArrayList<>();
        settings.values().forEach(mapped -> {
            ProducerSettings customized = mapped;
            for (OnsProducerSettingsCustomizer customizer : customizers.orderedStream().toList()) {
                customized = customizer.customize(customized);
                if (!customized.name().equals(mapped.name())) {
                    throw new IllegalStateException(customizer.getClass().getName() + " renamed producer '"
                        + mapped.name() + "' to '" + customized.name() + "'; a customizer must keep the name");
                }
            }
            producers.add(new DefaultDelayProducer(customized, sender, converter, journal.getIfUnique()));
        });
        return new OnsProducerRegistry(producers);
    }

    @Bean
    ProducerRoutePrefetch onsProducerRoutePrefetch(OnsProducerRegistry onsProducerRegistry, TimedMessageSender sender) {
        return new ProducerRoutePrefetch(onsProducerRegistry, sender);
    }

    @Bean
    static OnsProducerRegistrar onsProducerRegistrar() {
        return new OnsProducerRegistrar();
    }

    @Bean
    static AbstractProducerBinder onsAbstractProducerBinder() {
        return new AbstractProducerBinder();
    }

}
