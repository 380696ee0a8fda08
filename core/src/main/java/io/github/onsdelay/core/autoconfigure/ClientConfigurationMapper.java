package io.github.onsdelay.core.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.onsdelay.core.OnsConfigurationException;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientConfigurationBuilder;
import org.apache.rocketmq.client.apis.StaticSessionCredentialsProvider;
import org.jspecify.annotations.Nullable;

/**
 * Checks the connection (the {@code mqs.ons} properties, or the details a bean supplies) and applies it to a
 * rocketmq-client-java client configuration builder. Every problem is reported at once, naming the property.
 */
final class ClientConfigurationMapper {

    private ClientConfigurationMapper() {
    }

    static ClientConfigurationBuilder builder(OnsConnectionDetails details, OnsProperties properties) {
        validate(details, properties);
        ClientConfigurationBuilder builder = ClientConfiguration.newBuilder()
            .setEndpoints(String.join(";", details.getEndpoints()))
            .enableSsl(details.isSslEnabled() || hasText(properties.getSsl().getBundle()))
            .setRequestTimeout(properties.getRequestTimeout());
        if (!details.getNamespace().isBlank()) {
            builder.setNamespace(details.getNamespace());
        }
        String accessKey = details.getAccessKey();
        String secretKey = details.getSecretKey();
        if (accessKey != null && secretKey != null) {
            builder.setCredentialProvider(new StaticSessionCredentialsProvider(accessKey, secretKey));
        }
        return builder;
    }

    static void validate(OnsConnectionDetails details, OnsProperties properties) {
        List<String> problems = new ArrayList<>();
        // Details that do not come from the properties name their bean instead of a property.
        String source = details instanceof PropertiesOnsConnectionDetails ? null : details.getClass().getName();
        if (details.getEndpoints().isEmpty()) {
            problems.add(source == null
                ? "mqs.ons.endpoints is not set: give the RocketMQ 5 proxy's gRPC address, such as 127.0.0.1:8081 "
                    + "(or use ons-delay-embedded-rocketmq with mqs.ons.embedded.enabled=true)"
                : source + " gives no endpoints");
        }
        for (int i = 0; i < details.getEndpoints().size(); i++) {
            String endpoint = details.getEndpoints().get(i);
            if (!endpoint.matches("[^\\s:;]+:\\d{1,5}")) {
                problems.add((source == null ? "mqs.ons.endpoints[" + i + "]" : source + " endpoint") + "='" + endpoint
                    + "' is not host:port");
            }
        }
        boolean accessKey = hasText(details.getAccessKey());
        boolean secretKey = hasText(details.getSecretKey());
        if (accessKey != secretKey) {
            problems.add((accessKey ? "mqs.ons.access-key is set but mqs.ons.secret-key is not"
                : "mqs.ons.secret-key is set but mqs.ons.access-key is not")
                + ": set both for an instance with authentication, or neither");
        }
        requirePositive(problems, "mqs.ons.request-timeout", properties.getRequestTimeout());
        requirePositive(problems, source == null ? "mqs.ons.max-delay" : source + " max delay", details.getMaxDelay());
        requirePositive(problems, source == null ? "mqs.ons.timer-precision" : source + " timer precision",
            details.getTimerPrecision());
        double timeScale = properties.getTimeScale();
        if (!(timeScale >= 1) || Double.isInfinite(timeScale)) {
            problems.add("mqs.ons.time-scale=" + timeScale + " must be a number of at least 1 (1 is real time)");
        }
        else if (timeScale != 1 && !details.isEmbedded() && !properties.isTimeScaleAcknowledged()) {
            problems.add("mqs.ons.time-scale=" + timeScale + " divides every delay of every producer, for tests; it is "
                + "refused against a server other than the embedded one, so that it never shortens a production "
                + "schedule: use ons-delay-embedded-rocketmq, or set mqs.ons.time-scale-acknowledged=true");
        }
        Duration lead = properties.getDeliveryLead();
        if (lead != null && lead.isNegative()) {
            problems.add("mqs.ons.delivery-lead=" + lead + " must be zero (no lead) or positive");
        }
        if (!problems.isEmpty()) {
            throw new OnsConfigurationException("RocketMQ connection is misconfigured:\n - "
                + String.join("\n - ", problems));
        }
    }

    private static boolean hasText(@Nullable String value) {
        return value != null && !value.isBlank();
    }

    private static void requirePositive(List<String> problems, String property, @Nullable Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            problems.add(property + "=" + value + " must be positive");
        }
    }

}
