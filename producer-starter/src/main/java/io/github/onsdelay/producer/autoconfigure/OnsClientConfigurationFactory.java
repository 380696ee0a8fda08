package io.github.onsdelay.producer.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.onsdelay.producer.OnsConfigurationException;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientConfigurationBuilder;
import org.apache.rocketmq.client.apis.StaticSessionCredentialsProvider;

/**
 * Checks the {@code mqs.ons} connection properties and applies them to a client configuration builder.
 */
final class OnsClientConfigurationFactory {

    private OnsClientConfigurationFactory() {
    }

    static ClientConfigurationBuilder builder(OnsProperties properties) {
        validate(properties);
        ClientConfigurationBuilder builder = ClientConfiguration.newBuilder()
            .setEndpoints(String.join(";", properties.getEndpoints().stream().map(String::trim).toList()))
            .enableSsl(properties.isSslEnabled())
            .setRequestTimeout(properties.getRequestTimeout());
        if (!properties.getNamespace().isBlank()) {
            builder.setNamespace(properties.getNamespace());
        }
        if (properties.getAccessKey() != null && properties.getSecretKey() != null) {
            builder.setCredentialProvider(
                new StaticSessionCredentialsProvider(properties.getAccessKey(), properties.getSecretKey()));
        }
        return builder;
    }

    static void validate(OnsProperties properties) {
        List<String> problems = new ArrayList<>();
        if (properties.getEndpoints().stream().allMatch(String::isBlank)) {
            problems.add("mqs.ons.endpoints is not set: give the RocketMQ 5 proxy's gRPC address, such as "
                + "127.0.0.1:8081 (or set mqs.ons.embedded.enabled=true with ons-delay-embedded-rocketmq)");
        }
        for (int i = 0; i < properties.getEndpoints().size(); i++) {
            String endpoint = properties.getEndpoints().get(i).trim();
            if (!endpoint.isEmpty() && !endpoint.matches("[^\\s:;]+:\\d{1,5}")) {
                problems.add("mqs.ons.endpoints[" + i + "]='" + endpoint + "' is not host:port");
            }
        }
        boolean accessKey = properties.getAccessKey() != null && !properties.getAccessKey().isBlank();
        boolean secretKey = properties.getSecretKey() != null && !properties.getSecretKey().isBlank();
        if (accessKey != secretKey) {
            problems.add((accessKey ? "mqs.ons.access-key is set but mqs.ons.secret-key is not"
                : "mqs.ons.secret-key is set but mqs.ons.access-key is not")
                + ": set both for an instance with authentication, or neither");
        }
        requirePositive(problems, "mqs.ons.request-timeout", properties.getRequestTimeout());
        requirePositive(problems, "mqs.ons.max-delay", properties.getMaxDelay());
        if (!problems.isEmpty()) {
            throw new OnsConfigurationException("RocketMQ connection is misconfigured:\n - "
                + String.join("\n - ", problems));
        }
    }

    private static void requirePositive(List<String> problems, String property, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            problems.add(property + "=" + value + " must be positive");
        }
    }

}
