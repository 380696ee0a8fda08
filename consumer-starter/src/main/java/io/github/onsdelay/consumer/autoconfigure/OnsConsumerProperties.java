package io.github.onsdelay.consumer.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings shared by every {@code @OnsListener} container, under {@code mqs.ons.consumer}.
 */
@ConfigurationProperties("mqs.ons.consumer")
public class OnsConsumerProperties {

    /** Most handler runs at once per listener, unless the listener sets its own concurrency. */
    private int concurrency = 20;

    /** Whether listener containers start with the application, unless a listener sets its own autoStartup. */
    private boolean autoStartup = true;

    /** Most messages a listener holds (waiting for their due time or a free handler) or handles at once; receiving waits above it. */
    private int maxHeldMessages = 10_000;

    /** Most body bytes a listener holds or handles at once; receiving waits above it. */
    private DataSize maxHeldSize = DataSize.ofMegabytes(64);

    /** How long a message a listener holds or handles stays invisible to the group's other consumers unless renewed; after a crash, they get it back after about this long. The proxy accepts 10s at least. */
    private Duration invisibleDuration = Duration.ofSeconds(10);

    /** Longest a stop waits for handlers in progress. */
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    /** DELAY topic that exhausted messages are also forwarded to, before the exhaustion handler runs; none when not set. */
    private @Nullable String deadLetterTopic;

    public int getConcurrency() {
        return this.concurrency;
    }

    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    public boolean isAutoStartup() {
        return this.autoStartup;
    }

    public void setAutoStartup(boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    public int getMaxHeldMessages() {
        return this.maxHeldMessages;
    }

    public void setMaxHeldMessages(int maxHeldMessages) {
        this.maxHeldMessages = maxHeldMessages;
    }

    public DataSize getMaxHeldSize() {
        return this.maxHeldSize;
    }

    public void setMaxHeldSize(DataSize maxHeldSize) {
        this.maxHeldSize = maxHeldSize;
    }

    public Duration getInvisibleDuration() {
        return this.invisibleDuration;
    }

    public void setInvisibleDuration(Duration invisibleDuration) {
        this.invisibleDuration = invisibleDuration;
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
