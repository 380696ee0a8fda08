package io.github.onsdelay.consumer.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the listener container factory Spring Boot configures (every {@code @OnsListener} container that
 * names no other), under {@code mqs.ons.consumer}.
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

    /** DELAY topic that exhausted messages are forwarded to (as attempt 0 of a new message, for any group that listens there), before the exhaustion handler runs; none when not set. */
    private @Nullable String deadLetterTopic;

    /** Most messages one receive asks the proxy for (at most 32, the proxy's limit). */
    private int receiveBatchSize = 32;

    /** Receives a listener has in progress at once. */
    private int receivesInFlight = 4;

    /** Longest a receive waits at the proxy for messages (a stock proxy keeps it between 5s and 20s). */
    private Duration awaitDuration = Duration.ofSeconds(5);

    /** How long before a held or handled message's invisibility ends it is renewed; a failed renewal is tried again until then. */
    private Duration renewBefore = Duration.ofSeconds(5);

    /** Messages due later than this after they arrive are sent on as hops instead of held; the producer's delivery lead plus 10s when not set. */
    private @Nullable Duration holdHorizon;

    /** Longest a handler run may take, unless the listener sets its own; a run that has not ended by then counts as a failed attempt. */
    private Duration handlerTimeout = Duration.ofMinutes(10);

    /** How often the broker delivers one message to a group before it moves it to the group's dead-letter queue: the group's retry-max-times plus one (17 on a stock server). Near that budget's end, a message is sent again as a new one instead of given back. */
    private int maxDeliveries = 17;

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

    public int getReceiveBatchSize() {
        return this.receiveBatchSize;
    }

    public void setReceiveBatchSize(int receiveBatchSize) {
        this.receiveBatchSize = receiveBatchSize;
    }

    public int getReceivesInFlight() {
        return this.receivesInFlight;
    }

    public void setReceivesInFlight(int receivesInFlight) {
        this.receivesInFlight = receivesInFlight;
    }

    public Duration getAwaitDuration() {
        return this.awaitDuration;
    }

    public void setAwaitDuration(Duration awaitDuration) {
        this.awaitDuration = awaitDuration;
    }

    public Duration getRenewBefore() {
        return this.renewBefore;
    }

    public void setRenewBefore(Duration renewBefore) {
        this.renewBefore = renewBefore;
    }

    public @Nullable Duration getHoldHorizon() {
        return this.holdHorizon;
    }

    public void setHoldHorizon(@Nullable Duration holdHorizon) {
        this.holdHorizon = holdHorizon;
    }

    public Duration getHandlerTimeout() {
        return this.handlerTimeout;
    }

    public void setHandlerTimeout(Duration handlerTimeout) {
        this.handlerTimeout = handlerTimeout;
    }

    public int getMaxDeliveries() {
        return this.maxDeliveries;
    }

    public void setMaxDeliveries(int maxDeliveries) {
        this.maxDeliveries = maxDeliveries;
    }

    public @Nullable String getDeadLetterTopic() {
        return this.deadLetterTopic;
    }

    public void setDeadLetterTopic(@Nullable String deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
    }

}
