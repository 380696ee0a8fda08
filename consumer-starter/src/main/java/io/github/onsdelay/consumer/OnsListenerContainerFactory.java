package io.github.onsdelay.consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.github.onsdelay.core.OnsConfigurationException;
import org.jspecify.annotations.Nullable;

/**
 * What every listener container is built from: how it receives and holds messages, and the roles around its
 * handler (filters before it, the retry policy after a failure, the recoverers of an exhausted message). Spring
 * Boot configures one, the bean {@value #DEFAULT_BEAN_NAME}, from {@code mqs.ons.consumer.*} and the
 * {@link OnsDeliveryFilter} and {@link ExhaustionRecoverer} beans; a listener names another with
 * {@link OnsListener#containerFactory()}, usually one derived from the default:
 *
 * <pre>{@code
 * @Bean
 * OnsListenerContainerFactory slowJobs(OnsListenerContainerFactory onsListenerContainerFactory) {
 *     return onsListenerContainerFactory.mutate().handlerTimeout(Duration.ofMinutes(30)).concurrency(4).build();
 * }
 * }</pre>
 *
 * It is immutable; {@link Builder#build()} checks every setting and reports all problems at once.
 */
public final class OnsListenerContainerFactory {

    /** The name of the factory Spring Boot configures, used by listeners that name none. */
    public static final String DEFAULT_BEAN_NAME = "onsListenerContainerFactory";

    private final Builder settings;

    private OnsListenerContainerFactory(Builder builder) {
        this.settings = builder.copy();
    }

    /** A builder with the defaults of {@code mqs.ons.consumer.*}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this factory's settings and roles. */
    public Builder mutate() {
        return settings.copy();
    }

    /** Most handler runs at once, unless a listener sets its own. */
    public int getConcurrency() {
        return settings.concurrency;
    }

    /** Whether containers start with the application, unless a listener says otherwise. */
    public boolean isAutoStartup() {
        return settings.autoStartup;
    }

    /** Most messages a container holds (waiting for their due time or a handler) or handles at once. */
    public int getMaxHeldMessages() {
        return settings.maxHeldMessages;
    }

    /** Most body bytes a container holds or handles at once, to within one message. */
    public long getMaxHeldBytes() {
        return settings.maxHeldBytes;
    }

    /** Most messages one receive asks for. */
    public int getReceiveBatchSize() {
        return settings.receiveBatchSize;
    }

    /** Receives in progress at once. */
    public int getReceivesInFlight() {
        return settings.receivesInFlight;
    }

    /** Longest a receive waits at the proxy for messages. */
    public Duration getAwaitDuration() {
        return settings.awaitDuration;
    }

    /** How long a received message stays invisible to the group's other consumers unless renewed. */
    public Duration getInvisibleDuration() {
        return settings.invisibleDuration;
    }

    /** How long before its invisibility ends a held or handled message's lease is renewed. */
    public Duration getRenewBefore() {
        return settings.renewBefore;
    }

    /**
     * Messages due later than this after they arrive are sent on as hops instead of held; null for the
     * producer's delivery lead plus 10 seconds.
     */
    public @Nullable Duration getHoldHorizon() {
        return settings.holdHorizon;
    }

    /** Longest a handler may run before its attempt counts as failed, unless a listener sets its own. */
    public Duration getHandlerTimeout() {
        return settings.handlerTimeout;
    }

    /** Longest a stop waits for handlers in progress. */
    public Duration getShutdownTimeout() {
        return settings.shutdownTimeout;
    }

    /**
     * How often the broker delivers one message to the group before it moves it to the group's dead-letter
     * queue (the group's retry-max-times plus one: 17 on a stock server).
     */
    public int getMaxDeliveries() {
        return settings.maxDeliveries;
    }

    /** Run, in order, before each handler run (and before a hop is sent on); any may skip the delivery. */
    public List<OnsDeliveryFilter> getFilters() {
        return List.copyOf(settings.filters);
    }

    /** Decides after a failed attempt whether and when the next one runs; null for the producer's delays. */
    public @Nullable OnsRetryPolicy getRetryPolicy() {
        return settings.retryPolicy;
    }

    /**
     * Run, in order, for each exhausted message, before the listener's {@link OnsExhausted} method (or the
     * {@link ExhaustionHandler}).
     */
    public List<ExhaustionRecoverer> getRecoverers() {
        return List.copyOf(settings.recoverers);
    }

    @Override
    public String toString() {
        return "OnsListenerContainerFactory[concurrency=" + settings.concurrency + ", maxHeldMessages="
            + settings.maxHeldMessages + ", invisibleDuration=" + settings.invisibleDuration + ", handlerTimeout="
            + settings.handlerTimeout + ", filters=" + settings.filters.size() + ", recoverers="
            + settings.recoverers.size() + "]";
    }

    /** Settings and roles of a {@link OnsListenerContainerFactory}; every one has a default. */
    public static final class Builder {

        /** Each setting is named by its property in problems; the builder method has the same name. */
        private static final String PREFIX = "mqs.ons.consumer.";

        private int concurrency = 20;

        private boolean autoStartup = true;

        private int maxHeldMessages = 10_000;

        private long maxHeldBytes = 64L * 1024 * 1024;

        private int receiveBatchSize = 32;

        private int receivesInFlight = 4;

        private Duration awaitDuration = Duration.ofSeconds(5);

        private Duration invisibleDuration = Duration.ofSeconds(10);

        private Duration renewBefore = Duration.ofSeconds(5);

        private @Nullable Duration holdHorizon;

        private Duration handlerTimeout = Duration.ofMinutes(10);

        private Duration shutdownTimeout = Duration.ofSeconds(30);

        private int maxDeliveries = 17;

        private List<OnsDeliveryFilter> filters = new ArrayList<>();

        private @Nullable OnsRetryPolicy retryPolicy;

        private List<ExhaustionRecoverer> recoverers = new ArrayList<>();

        private Builder() {
        }

        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        public Builder autoStartup(boolean autoStartup) {
            this.autoStartup = autoStartup;
            return this;
        }

        public Builder maxHeldMessages(int maxHeldMessages) {
            this.maxHeldMessages = maxHeldMessages;
            return this;
        }

        public Builder maxHeldBytes(long maxHeldBytes) {
            this.maxHeldBytes = maxHeldBytes;
            return this;
        }

        public Builder receiveBatchSize(int receiveBatchSize) {
            this.receiveBatchSize = receiveBatchSize;
            return this;
        }

        public Builder receivesInFlight(int receivesInFlight) {
            this.receivesInFlight = receivesInFlight;
            return this;
        }

        public Builder awaitDuration(Duration awaitDuration) {
            this.awaitDuration = Objects.requireNonNull(awaitDuration, "awaitDuration");
            return this;
        }

        public Builder invisibleDuration(Duration invisibleDuration) {
            this.invisibleDuration = Objects.requireNonNull(invisibleDuration, "invisibleDuration");
            return this;
        }

        public Builder renewBefore(Duration renewBefore) {
            this.renewBefore = Objects.requireNonNull(renewBefore, "renewBefore");
            return this;
        }

        /** Null for the producer's delivery lead plus 10 seconds. */
        public Builder holdHorizon(@Nullable Duration holdHorizon) {
            this.holdHorizon = holdHorizon;
            return this;
        }

        public Builder handlerTimeout(Duration handlerTimeout) {
            this.handlerTimeout = Objects.requireNonNull(handlerTimeout, "handlerTimeout");
            return this;
        }

        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
            return this;
        }

        public Builder maxDeliveries(int maxDeliveries) {
            this.maxDeliveries = maxDeliveries;
            return this;
        }

        /** Replaces the filters. */
        public Builder filters(List<? extends OnsDeliveryFilter> filters) {
            this.filters = new ArrayList<>(filters);
            return this;
        }

        /** Adds a filter after the others. */
        public Builder filter(OnsDeliveryFilter filter) {
            this.filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /** Null for the producer's delays. */
        public Builder retryPolicy(@Nullable OnsRetryPolicy retryPolicy) {
            this.retryPolicy = retryPolicy;
            return this;
        }

        /** Replaces the recoverers. */
        public Builder recoverers(List<? extends ExhaustionRecoverer> recoverers) {
            this.recoverers = new ArrayList<>(recoverers);
            return this;
        }

        /** Adds a recoverer after the others. */
        public Builder recoverer(ExhaustionRecoverer recoverer) {
            this.recoverers.add(Objects.requireNonNull(recoverer, "recoverer"));
            return this;
        }

        /**
         * @throws OnsConfigurationException listing every setting that is out of range
         */
        public OnsListenerContainerFactory build() {
            List<String> problems = new ArrayList<>();
            atLeast(problems, "concurrency", concurrency, 1);
            atLeast(problems, "max-held-messages", maxHeldMessages, 1);
            if (maxHeldBytes < 1) {
                problems.add(PREFIX + "max-held-size=" + maxHeldBytes + " bytes must be positive");
            }
            atLeast(problems, "receive-batch-size", receiveBatchSize, 1);
            if (receiveBatchSize > 32) {
                // The proxy refuses a receive of more than 32 messages.
                problems.add(PREFIX + "receive-batch-size=" + receiveBatchSize + " must be at most 32 (the proxy's limit)");
            }
            atLeast(problems, "receives-in-flight", receivesInFlight, 1);
            positive(problems, "await-duration", awaitDuration);
            if (invisibleDuration.compareTo(Duration.ofSeconds(1)) < 0) {
                problems.add(PREFIX + "invisible-duration=" + invisibleDuration + " must be at least 1s (a stock proxy accepts "
                    + "10s at least)");
            }
            positive(problems, "renew-before", renewBefore);
            if (renewBefore.compareTo(invisibleDuration) >= 0) {
                problems.add(PREFIX + "renew-before=" + renewBefore + " must be shorter than invisible-duration="
                    + invisibleDuration + " (a renewal starts this long before the invisibility ends)");
            }
            if (holdHorizon != null && holdHorizon.isNegative()) {
                problems.add(PREFIX + "hold-horizon=" + holdHorizon + " must not be negative");
            }
            positive(problems, "handler-timeout", handlerTimeout);
            if (shutdownTimeout.isNegative()) {
                problems.add(PREFIX + "shutdown-timeout=" + shutdownTimeout + " must not be negative");
            }
            atLeast(problems, "max-deliveries", maxDeliveries, 2);
            if (!problems.isEmpty()) {
                throw new OnsConfigurationException("Listener container factory is misconfigured (each setting is "
                    + "the property named, or the builder method of that name):\n - " + String.join("\n - ", problems));
            }
            return new OnsListenerContainerFactory(this);
        }

        private static void atLeast(List<String> problems, String name, long value, long least) {
            if (value < least) {
                problems.add(PREFIX + name + "=" + value + " must be at least " + least);
            }
        }

        private static void positive(List<String> problems, String name, Duration value) {
            if (value.isNegative() || value.isZero()) {
                problems.add(PREFIX + name + "=" + value + " must be positive");
            }
        }

        private Builder copy() {
            Builder copy = new Builder();
            copy.concurrency = concurrency;
            copy.autoStartup = autoStartup;
            copy.maxHeldMessages = maxHeldMessages;
            copy.maxHeldBytes = maxHeldBytes;
            copy.receiveBatchSize = receiveBatchSize;
            copy.receivesInFlight = receivesInFlight;
            copy.awaitDuration = awaitDuration;
            copy.invisibleDuration = invisibleDuration;
            copy.renewBefore = renewBefore;
            copy.holdHorizon = holdHorizon;
            copy.handlerTimeout = handlerTimeout;
            copy.shutdownTimeout = shutdownTimeout;
            copy.maxDeliveries = maxDeliveries;
            copy.filters = new ArrayList<>(filters);
            copy.retryPolicy = retryPolicy;
            copy.recoverers = new ArrayList<>(recoverers);
            return copy;
        }

    }

}
