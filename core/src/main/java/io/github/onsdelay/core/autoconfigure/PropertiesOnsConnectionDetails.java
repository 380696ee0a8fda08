package io.github.onsdelay.core.autoconfigure;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * {@link OnsConnectionDetails} read from the {@code mqs.ons} properties.
 */
class PropertiesOnsConnectionDetails implements OnsConnectionDetails {

    private final OnsProperties properties;

    PropertiesOnsConnectionDetails(OnsProperties properties) {
        this.properties = properties;
    }

    @Override
    public List<String> getEndpoints() {
        return this.properties.getEndpoints().stream().map(String::trim).filter(endpoint -> !endpoint.isEmpty()).toList();
    }

    @Override
    public String getNamespace() {
        return this.properties.getNamespace();
    }

    @Override
    public @Nullable String getAccessKey() {
        return this.properties.getAccessKey();
    }

    @Override
    public @Nullable String getSecretKey() {
        return this.properties.getSecretKey();
    }

    @Override
    public boolean isSslEnabled() {
        String bundle = this.properties.getSsl().getBundle();
        return this.properties.isSslEnabled() || (bundle != null && !bundle.isBlank());
    }

    @Override
    public Duration getTimerPrecision() {
        return this.properties.getTimerPrecision();
    }

    @Override
    public Duration getMaxDelay() {
        return this.properties.getMaxDelay();
    }

    @Override
    public String toString() {
        return "PropertiesOnsConnectionDetails[endpoints=" + getEndpoints() + "]";
    }

}
