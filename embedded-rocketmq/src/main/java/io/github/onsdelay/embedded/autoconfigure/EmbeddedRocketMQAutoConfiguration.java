package io.github.onsdelay.embedded.autoconfigure;

import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Exposes the embedded RocketMQ server, started by {@link EmbeddedRocketMQEnvironmentPostProcessor} when
 * {@code mqs.ons.embedded.enabled=true}, as a bean, so an application can create topics or read its
 * endpoint. The server itself stops with the application context.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = EmbeddedRocketMQProperties.PREFIX, name = "enabled", havingValue = "true")
@EnableConfigurationProperties(EmbeddedRocketMQProperties.class)
public final class EmbeddedRocketMQAutoConfiguration {

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    EmbeddedRocketMQBroker embeddedRocketMQBroker(ConfigurableEnvironment environment) {
        if (environment.getPropertySources().get(EmbeddedRocketMQEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)
                instanceof EmbeddedRocketMQEnvironmentPostProcessor.BrokerPropertySource source) {
            return source.broker();
        }
        throw new IllegalStateException(EmbeddedRocketMQProperties.PREFIX + ".enabled=true but no embedded RocketMQ "
            + "was started: it is started by EmbeddedRocketMQEnvironmentPostProcessor, which runs only in a "
            + "SpringApplication (not in a plain ApplicationContext)");
    }

}
