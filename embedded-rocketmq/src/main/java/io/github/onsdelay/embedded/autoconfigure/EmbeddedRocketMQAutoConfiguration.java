package io.github.onsdelay.embedded.autoconfigure;

import io.github.onsdelay.core.autoconfigure.OnsConnectionDetails;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.embedded.EmbeddedRocketMQConnectionDetails;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts a RocketMQ server in this JVM when {@code mqs.ons.embedded.enabled=true}, as the
 * {@link EmbeddedRocketMQBroker} bean, and connects ons-delay's client to it through its
 * {@link OnsConnectionDetails}. The server stops with the context that started it, after the clients that
 * depend on it.
 */
@AutoConfiguration(beforeName = "io.github.onsdelay.core.autoconfigure.OnsClientAutoConfiguration")
@ConditionalOnProperty(prefix = EmbeddedRocketMQProperties.PREFIX, name = "enabled", havingValue = "true")
@EnableConfigurationProperties(EmbeddedRocketMQProperties.class)
public final class EmbeddedRocketMQAutoConfiguration {

    private static final Log LOG = LogFactory.getLog(EmbeddedRocketMQAutoConfiguration.class);

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    EmbeddedRocketMQBroker embeddedRocketMQBroker(EmbeddedRocketMQProperties properties) {
        EmbeddedRocketMQBroker broker = build(properties);
        broker.start();
        LOG.info("Embedded RocketMQ started for this application at " + broker.endpoints() + " (store "
            + broker.storeDir() + ", started in " + broker.lastStartupTime().toMillis() + " ms)");
        return broker;
    }

    private static EmbeddedRocketMQBroker build(EmbeddedRocketMQProperties properties) {
        EmbeddedRocketMQBroker.Builder builder;
        try {
            builder = EmbeddedRocketMQBroker.builder()
                .timerPrecision(properties.getTimerPrecision())
                .maxDelay(properties.getMaxDelay())
                .logLevel(properties.getLogLevel())
                .longPollingTimeout(properties.getLongPollingTimeout())
                .grpcPort(properties.getGrpcPort())
                .tls(properties.isTls());
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalStateException("Invalid " + EmbeddedRocketMQProperties.PREFIX + " configuration: "
                + ex.getMessage(), ex);
        }
        if (properties.getStoreDir() != null) {
            builder.storeDir(properties.getStoreDir());
        }
        properties.getTopics().forEach(builder::topic);
        properties.getGroups().forEach(builder::group);
        return builder.build();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(OnsConnectionDetails.class)
    static class ConnectionDetailsConfiguration {

        @Bean
        @ConditionalOnMissingBean(OnsConnectionDetails.class)
        EmbeddedRocketMQConnectionDetails embeddedRocketMQConnectionDetails(EmbeddedRocketMQBroker broker) {
            return new EmbeddedRocketMQConnectionDetails(broker);
        }

    }

}
