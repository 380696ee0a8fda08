package io.github.onsdelay.core.autoconfigure;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the RocketMQ 5 proxy is, how to sign in, and what its server accepts. The {@code mqs.ons}
 * properties supply one; an embedded test server supplies its own, and a bean of this type replaces the
 * properties altogether.
 */
public interface OnsConnectionDetails extends ConnectionDetails {

    /** Addresses of the proxy (gRPC), {@code host:port}. */
    List<String> getEndpoints();

    /** Namespace of the RocketMQ instance, or an empty string for none. */
    default String getNamespace() {
        return "";
    }

    /** Access key of an instance with authentication, or null. */
    default @Nullable String getAccessKey() {
        return null;
    }

    /** Secret key of an instance with authentication, or null. */
    default @Nullable String getSecretKey() {
        return null;
    }

    /** Whether the proxy is reached over TLS. */
    default boolean isSslEnabled() {
        return false;
    }

    /** Precision of the broker's timer: a timed message is released up to this much after its time. */
    default Duration getTimerPrecision() {
        return Duration.ofSeconds(1);
    }

    /** Longest single delay the server accepts for one timed message. */
    default Duration getMaxDelay() {
        return Duration.ofDays(1);
    }

    /**
     * Whether the server is the embedded one, started by ons-delay-embedded-rocketmq for this application or its
     * tests: only there may {@code mqs.ons.time-scale} shorten schedules without an acknowledgement.
     */
    default boolean isEmbedded() {
        return false;
    }

}
