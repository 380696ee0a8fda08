package io.github.onsdelay.consumer.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings shared by every {@code @OnsListener} consumer, under {@code mqs.ons.consumer}.
 */
@ConfigurationProperties("mqs.ons.consumer")
public class OnsConsumerProperties {

    /** Threads that run handlers, per consumer group. */
    private int consumptionThreads = 20;

    /** Most messages a consumer group caches ahead of its handlers. */
    private int maxCacheMessageCount = 1024;

    /** Most bytes of messages a consumer group caches ahead of its handlers. */
    private DataSize maxCacheMessageSize = DataSize.ofMegabytes(64);

    /** Longest a shutdown waits for handlers in progress before closing the consumers. */
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    /** DELAY topic that exhausted messages are also forwarded to, before the exhaustion handler runs; none when not set. */
    private @Nullable String deadLetterTopic;

    public int getConsumptionThreads() {
        return this.consumptionThreads;
    }

    public void setConsumptionThreads(int consumptionThreads) {
        this.consumptionThreads = consumptionThreads;
    }

    public int getMaxCacheMessageCount() {
        return this.maxCacheMessageCount;
    }

    public void setMaxCacheMessageCount(int maxCacheMessageCount) {
        this.maxCacheMessageCount = maxCacheMessageCount;
    }

    public DataSize getMaxCacheMessageSize() {
        return this.maxCacheMessageSize;
    }

    public void setMaxCacheMessageSize(DataSize maxCacheMessageSize) {
        this.maxCacheMessageSize = maxCacheMessageSize;
    }

    public Duration getShutdownTimeout() {
        return this.shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public @Nullable String getDeadLetterTopic() {
        return this.deadLetterTopic;
    }

    public void setDeadLetterTopic(@Nullable String deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
    }

}
