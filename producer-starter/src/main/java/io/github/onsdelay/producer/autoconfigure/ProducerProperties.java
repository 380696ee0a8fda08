package io.github.onsdelay.producer.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.boot.convert.DurationUnit;

/**
 * The settings of one producer, as bound from {@code mqs.ons.producers.<name>}. The original ONS code's names
 * are accepted as twins of four of them, in the original's units ({@code delay-second-list},
 * {@code delay-send-time-mills}, {@code timeout-millis}, {@code producer-id}); a section may set a setting or
 * its twin, not both.
 */
public class ProducerProperties {

    /** Topic the producer sends to: a DELAY topic, since every message is a timed one. */
    private @Nullable String topic;

    /** Tag of every message, unless a send names its own; none when not set. */
    private @Nullable String tag;

    /** Delay of the first delivery (attempt 0); a plain number means seconds. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration initialDelay = Duration.ZERO;

    /** Retry delays, such as 1h, 3h, 1d, 3d: attempt n is due delays[n-1] after attempt n-1 failed; a plain number means seconds. */
    @DurationUnit(ChronoUnit.SECONDS)
    private List<Duration> delays = new ArrayList<>();

    /** Longest a send takes, all its attempts included, before it fails; no attempt starts after. */
    private Duration sendTimeout = Duration.ofSeconds(3);

    /** How long before its due time the broker releases each message; mqs.ons.delivery-lead when not set, 0 to turn the lead off. */
    private @Nullable Duration deliveryLead;

    /** ONS-style name of delays: the retry delays in seconds, such as 3600, 10800, 86400, 259200. */
    private @Nullable List<Long> delaySecondList;

    /** ONS-style name of initial-delay, in milliseconds. */
    private @Nullable Long delaySendTimeMills;

    /** ONS-style name of send-timeout, in milliseconds. */
    private @Nullable Long timeoutMillis;

    /** The original ONS producer id: kept for information only, since RocketMQ 5 producers have no group. */
    private @Nullable String producerId;

    public @Nullable String getTopic() {
        return this.topic;
    }

    public void setTopic(@Nullable String topic) {
        this.topic = topic;
    }

    public @Nullable String getTag() {
        return this.tag;
    }

    public void setTag(@Nullable String tag) {
        this.tag = tag;
    }

    public Duration getInitialDelay() {
        return this.initialDelay;
    }

    public void setInitialDelay(Duration initialDelay) {
        this.initialDelay = initialDelay;
    }

    public List<Duration> getDelays() {
        return this.delays;
    }

    public void setDelays(List<Duration> delays) {
        this.delays = delays;
    }

    public Duration getSendTimeout() {
        return this.sendTimeout;
    }

    public void setSendTimeout(Duration sendTimeout) {
        this.sendTimeout = sendTimeout;
    }

    public @Nullable Duration getDeliveryLead() {
        return this.deliveryLead;
    }

    public void setDeliveryLead(@Nullable Duration deliveryLead) {
        this.deliveryLead = deliveryLead;
    }

    @DeprecatedConfigurationProperty(replacement = "mqs.ons.producers.*.delays",
        reason = "The original ONS code's name, accepted for migration; delays take units (1h, 3h, 1d)")
    public @Nullable List<Long> getDelaySecondList() {
        return this.delaySecondList;
    }

    public void setDelaySecondList(@Nullable List<Long> delaySecondList) {
        this.delaySecondList = delaySecondList;
    }

    @DeprecatedConfigurationProperty(replacement = "mqs.ons.producers.*.initial-delay",
        reason = "The original ONS code's name, accepted for migration")
    public @Nullable Long getDelaySendTimeMills() {
        return this.delaySendTimeMills;
    }

    public void setDelaySendTimeMills(@Nullable Long delaySendTimeMills) {
        this.delaySendTimeMills = delaySendTimeMills;
    }

    @DeprecatedConfigurationProperty(replacement = "mqs.ons.producers.*.send-timeout",
        reason = "The original ONS code's name, accepted for migration")
    public @Nullable Long getTimeoutMillis() {
        return this.timeoutMillis;
    }

    public void setTimeoutMillis(@Nullable Long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @DeprecatedConfigurationProperty(reason = "The original ONS producer id: RocketMQ 5 producers have no group; "
        + "kept for information only")
    public @Nullable String getProducerId() {
        return this.producerId;
    }

    public void setProducerId(@Nullable String producerId) {
        this.producerId = producerId;
    }

}
