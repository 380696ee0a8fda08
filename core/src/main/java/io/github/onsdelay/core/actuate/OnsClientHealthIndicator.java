package io.github.onsdelay.core.actuate;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.onsdelay.core.autoconfigure.OnsConnectionDetails;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Whether the RocketMQ proxy the client sends through can be reached: UP when at least one of its endpoints
 * accepts a connection within the timeout, DOWN otherwise, with each endpoint's answer in the details. It
 * checks the network path only (the client has no request that tests more without sending a message).
 */
public class OnsClientHealthIndicator extends AbstractHealthIndicator {

    private final OnsConnectionDetails connection;

    private final Duration timeout;

    public OnsClientHealthIndicator(OnsConnectionDetails connection, Duration timeout) {
        super("RocketMQ proxy health check failed");
        this.connection = connection;
        this.timeout = timeout;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, String> endpoints = new LinkedHashMap<>();
        boolean reachable = false;
        for (String endpoint : connection.getEndpoints()) {
            String answer = probe(endpoint);
            endpoints.put(endpoint, answer);
            reachable |= answer.equals("reachable");
        }
        (reachable ? builder.up() : builder.down()).withDetail("endpoints", endpoints)
            .withDetail("tls", connection.isSslEnabled());
    }

    private String probe(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.substring(0, colon),
                Integer.parseInt(endpoint.substring(colon + 1))), (int) timeout.toMillis());
            return "reachable";
        }
        catch (IOException | RuntimeException ex) {
            return "unreachable: " + ex.getMessage();
        }
    }

}
