package io.github.onsdelay.embedded.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.onsdelay.embedded.TopicMessageType;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the embedded RocketMQ server an application can run in its own JVM.
 */
@ConfigurationProperties(EmbeddedRocketMQProperties.PREFIX)
public class EmbeddedRocketMQProperties {

    static final String PREFIX = "mqs.ons.embedded";

    /** Whether to start a RocketMQ server in this JVM and point mqs.ons.endpoints at it. */
    private boolean enabled;

    /** Slot size of the broker's timer wheel: 100ms, 200ms, 500ms or 1s. */
    private Duration timerPrecision = Duration.ofMillis(100);

    /** Longest delay the proxy accepts for one timed message. */
    private Duration maxDelay = Duration.ofDays(1);

    /** Directory of the server's store and logs; a temporary directory, deleted at shutdown, when not set. */
    private @Nullable Path storeDir;

    /** Level of the server's own log, written under the store directory. */
    private String logLevel = "WARN";

    /** Longest time the proxy holds a consumer's receive request open; bounds how long closing a consumer takes. */
    private Duration longPollingTimeout = Duration.ofSeconds(3);

    /** Port of the gRPC proxy on 127.0.0.1; 0 picks a free port. */
    private int grpcPort;

    /** Whether the proxy accepts TLS only, with a self-signed certificate it generates; the client then uses TLS. */
    private boolean tls;

    /** Topics to create at start, with the message type each accepts (DELAY, NORMAL, FIFO, TRANSACTION). */
    private Map<String, TopicMessageType> topics = new LinkedHashMap<>();

    /** Consumer groups to create at start. */
    private List<String> groups = new ArrayList<>();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getTimerPrecision() {
        return this.timerPrecision;
    }

    public void setTimerPrecision(Duration timerPrecision) {
        this.timerPrecision = timerPrecision;
    }

    public Duration getMaxDelay() {
        return this.maxDelay;
    }

    public void setMaxDelay(Duration maxDelay) {
        this.maxDelay = maxDelay;
    }

    public @Nullable Path getStoreDir() {
        return this.storeDir;
    }

    public void setStoreDir(@Nullable Path storeDir) {
        this.storeDir = storeDir;
    }

    public String getLogLevel() {
        return this.logLevel;
    }

    public void setLogLevel(String logLevel) {
        this.logLevel = logLevel;
    }

    public Duration getLongPollingTimeout() {
        return this.longPollingTimeout;
    }

    public void setLongPollingTimeout(Duration longPollingTimeout) {
        this.longPollingTimeout = longPollingTimeout;
    }

    public int getGrpcPort() {
        return this.grpcPort;
    }

    public void setGrpcPort(int grpcPort) {
        this.grpcPort = grpcPort;
    }

    public boolean isTls() {
        return this.tls;
    }

    public void setTls(boolean tls) {
        this.tls = tls;
    }

    public Map<String, TopicMessageType> getTopics() {
        return this.topics;
    }

    public void setTopics(Map<String, TopicMessageType> topics) {
        this.topics = topics;
    }

    public List<String> getGroups() {
        return this.groups;
    }

    public void setGroups(List<String> groups) {
        this.groups = groups;
    }

}
