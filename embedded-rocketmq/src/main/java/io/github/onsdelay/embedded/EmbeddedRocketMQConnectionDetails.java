package io.github.onsdelay.embedded;

import java.time.Duration;
import java.util.List;

import io.github.onsdelay.core.autoconfigure.OnsConnectionDetails;
import org.jspecify.annotations.Nullable;

/**
 * Connection details of an embedded server, for ons-delay's client: its endpoint, its keys when
 * authentication is on, and its timer precision and maximum delay. The embedded server's auto-configuration
 * and {@link EmbeddedRocketMQ} supply one; declare one as a bean for a server you start yourself.
 */
public final class EmbeddedRocketMQConnectionDetails implements OnsConnectionDetails {

    private final EmbeddedRocketMQBroker broker;

    private final @Nullable String accessKey;

    private final @Nullable String secretKey;

    public EmbeddedRocketMQConnectionDetails(EmbeddedRocketMQBroker broker) {
        this(broker, null, null);
    }

    /** For a server with authentication on: the keys to sign requests with. */
    public EmbeddedRocketMQConnectionDetails(EmbeddedRocketMQBroker broker, @Nullable String accessKey,
            @Nullable String secretKey) {
        this.broker = broker;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    @Override
    public List<String> getEndpoints() {
        return List.of(broker.endpoints());
    }

    @Override
    public @Nullable String getAccessKey() {
        return accessKey;
    }

    @Override
    public @Nullable String getSecretKey() {
        return secretKey;
    }

    @Override
    public boolean isSslEnabled() {
        return broker.isTls();
    }

    @Override
    public Duration getTimerPrecision() {
        return broker.timerPrecision();
    }

    @Override
    public Duration getMaxDelay() {
        return broker.maxDelay();
    }

    @Override
    public boolean isEmbedded() {
        return true;
    }

    @Override
    public String toString() {
        return "EmbeddedRocketMQConnectionDetails[" + broker.endpoints() + "]";
    }

}
