package io.github.onsdelay.core.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import io.github.onsdelay.core.ClientConnections;
import io.github.onsdelay.core.Fastjson2PayloadConverter;
import io.github.onsdelay.core.JacksonPayloadConverter;
import io.github.onsdelay.core.OnsDelayException;
import io.github.onsdelay.core.PayloadConverter;
import io.github.onsdelay.core.OnsConfigurationException;
import io.github.onsdelay.core.TimeScale;
import io.github.onsdelay.core.TimedMessageSender;
import io.github.onsdelay.core.internal.VerifiedTls;
import io.github.onsdelay.core.internal.VerifiedTlsClientServiceProvider;
import io.github.onsdelay.core.observation.OnsSendObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientConfigurationBuilder;
import org.apache.rocketmq.client.apis.ClientException;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.client.apis.producer.ProducerBuilder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.NestedExceptionUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of the RocketMQ 5 client every ons-delay starter shares: the connection details (from
 * {@code mqs.ons} unless a bean supplies them), one client configuration, one rocketmq-client-java producer,
 * the payload converter (readied for its first message once the beans exist) and the {@link TimedMessageSender}. Nothing here talks to the server while the
 * context is created: the producer fetches each topic's route at its first send.
 */
@AutoConfiguration
@ConditionalOnClass(Producer.class)
@EnableConfigurationProperties(OnsProperties.class)
public final class OnsClientAutoConfiguration {

    private static final Log LOG = LogFactory.getLog(OnsClientAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean(OnsConnectionDetails.class)
    PropertiesOnsConnectionDetails onsConnectionDetails(OnsProperties properties) {
        return new PropertiesOnsConnectionDetails(properties);
    }

    /**
     * The client's own provider; with {@code mqs.ons.ssl.bundle}, one whose clients verify the proxy's certificate
     * with that bundle. TLS without a bundle is warned about here, once, at start-up.
     */
    @Bean
    @ConditionalOnMissingBean
    ClientServiceProvider onsClientServiceProvider(OnsProperties properties, OnsConnectionDetails details,
            ObjectProvider<SslBundles> sslBundles) {
        ClientServiceProvider own = ClientServiceProvider.loadService();
        String bundleName = properties.getSsl().getBundle();
        if (bundleName == null || bundleName.isBlank()) {
            if (details.isSslEnabled()) {
                LOG.warn("TLS to the RocketMQ proxy at " + String.join(";", details.getEndpoints()) + " is on, but the "
                    + "proxy is not authenticated: rocketmq-client-java accepts any certificate, so anyone between "
                    + "this application and the proxy can read and change its messages. Set mqs.ons.ssl.bundle to a "
                    + "Spring Boot SSL bundle (spring.ssl.bundle.*) that trusts the proxy's certificate");
            }
            return own;
        }
        SslBundles bundles = sslBundles.getIfAvailable();
        if (bundles == null) {
            throw new OnsConfigurationException("mqs.ons.ssl.bundle=" + bundleName + " is set, but the application has "
                + "no SSL bundles (SslBundles bean): keep Spring Boot's SSL auto-configuration on");
        }
        SslBundle bundle;
        try {
            bundle = bundles.getBundle(bundleName);
        }
        catch (NoSuchSslBundleException ex) {
            throw new OnsConfigurationException("mqs.ons.ssl.bundle=" + bundleName + " names no SSL bundle: define it "
                + "under spring.ssl.bundle.pem." + bundleName + " (PEM certificates) or spring.ssl.bundle.jks."
                + bundleName + " (a truststore), with the certificate of the CA that issued the proxy's");
        }
        try {
            return new VerifiedTlsClientServiceProvider(own, VerifiedTls.of(bundleName, bundle,
                blankToNull(properties.getSsl().getServerName())));
        }
        catch (IllegalArgumentException ex) {
            // The message says it all, the cause's included: a report shows the most specific cause's message.
            throw new OnsConfigurationException(ex.getMessage());
        }
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Bean
    @ConditionalOnMissingBean
    ClientConfiguration onsClientConfiguration(OnsConnectionDetails details, OnsProperties properties,
            ObjectProvider<OnsClientConfigurationCustomizer> customizers) {
        ClientConfigurationBuilder builder = ClientConfigurationMapper.builder(details, properties);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    /** How long the producer may take to close gracefully before its open calls are ended. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Producer onsRocketMQProducer(ClientServiceProvider provider, ClientConfiguration configuration,
            OnsConnectionDetails details, OnsProperties properties,
            ObjectProvider<OnsProducerBuilderCustomizer> customizers) {
        String bundle = properties.getSsl().getBundle();
        if (bundle != null && !bundle.isBlank() && !(provider instanceof VerifiedTlsClientServiceProvider)) {
            // The application's own provider would build clients that accept any certificate.
            throw new OnsConfigurationException("mqs.ons.ssl.bundle=" + bundle + " is set, but the application's own "
                + "ClientServiceProvider bean (" + provider.getClass().getName() + ") is in use, whose clients would "
                + "not verify the proxy: remove that bean (ons-delay's verifies with the bundle), or the setting");
        }
        // One attempt per call: TimedMessageSender makes the further attempts itself, each within the send's
        // timeout, where the client would start them after the caller was told the send failed.
        ProducerBuilder builder = provider.newProducerBuilder().setClientConfiguration(configuration)
            .setMaxAttempts(1);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        try {
            return ClientConnections.boundedClose(builder.build(), CLOSE_TIMEOUT);
        }
        catch (ClientException | RuntimeException ex) {
            // rocketmq-client-java reports a failed start as a service state error; the cause says why.
            throw new OnsDelayException("Cannot start the RocketMQ producer for " + String.join(";", details.getEndpoints())
                + ": " + NestedExceptionUtils.getMostSpecificCause(ex).getMessage(), ex);
        }
    }

    @Bean
    @ConditionalOnMissingBean
    PayloadConverter onsPayloadConverter(OnsProperties properties) {
        if (properties.getPayloadFormat() == OnsProperties.PayloadFormat.JACKSON) {
            // The Jackson configuration below backs off only without Jackson 3 on the class path.
            throw new OnsConfigurationException("mqs.ons.payload-format=jackson needs Jackson 3 on the class path "
                + "(tools.jackson.core:jackson-databind, which spring-boot-starter-json brings): add it, or remove the "
                + "setting to keep fastjson2");
        }
        return new Fastjson2PayloadConverter();
    }

    /** {@code mqs.ons.payload-format: jackson}: the application's own mapper converts. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "tools.jackson.databind.json.JsonMapper")
    @ConditionalOnProperty(name = "mqs.ons.payload-format", havingValue = "jackson")
    static class JacksonPayloadConverterConfiguration {

        @Bean
        @ConditionalOnMissingBean
        PayloadConverter onsJacksonPayloadConverter(ObjectProvider<JsonMapper> mapper) {
            JsonMapper applications = mapper.getIfUnique();
            if (applications == null) {
                throw new OnsConfigurationException("mqs.ons.payload-format=jackson converts with the application's "
                    + "JsonMapper, and there is no single JsonMapper bean: add spring-boot-starter-json (Spring Boot "
                    + "then makes one), or declare one");
            }
            return new JacksonPayloadConverter(applications);
        }

    }

    /**
     * Readies what every payload type's conversion shares once the beans exist, before the application reports
     * started: otherwise the first message sent after a start pays for it (150-250 ms on a cold JVM).
     */
    @Bean
    SmartInitializingSingleton onsPayloadConverterPreparation(PayloadConverter converter) {
        return () -> converter.prepare(Object.class);
    }

    @Bean
    @ConditionalOnMissingBean
    TimedMessageSender onsTimedMessageSender(Producer producer, ClientServiceProvider provider,
            ObjectProvider<Clock> clock, OnsConnectionDetails details, OnsProperties properties,
            ObjectProvider<ObservationRegistry> observations, ObjectProvider<OnsSendObservationConvention> convention) {
        TimeScale timeScale = new TimeScale(properties.getTimeScale());
        if (timeScale.isScaled()) {
            LOG.warn("mqs.ons.time-scale=" + properties.getTimeScale() + ": every schedule runs " + timeScale
                + " (delays, initial delays, deliverAt distances and the hop horizon are divided); lateness is measured "
                + "against the scaled due times. For tests only");
        }
        return new TimedMessageSender(producer, provider, clock.getIfUnique(Clock::systemUTC), details.getMaxDelay(),
            properties.isHopsEnabled(), observations.getIfUnique(() -> ObservationRegistry.NOOP),
            convention.getIfUnique(), timeScale);
    }

}
