package io.github.onsdelay.consumer.internal;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.github.onsdelay.consumer.ListenerFigures;
import io.github.onsdelay.consumer.OnsListenerContainer;
import io.github.onsdelay.core.OnsDelayException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.rocketmq.client.apis.ClientException;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.FilterExpressionType;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumerBuilder;
import org.jspecify.annotations.Nullable;
import org.springframework.core.NestedExceptionUtils;

/**
 * The container of one {@code @OnsListener}: its settings, the stages a message goes through (which outlive
 * its sessions), its figures, and, while it runs, a {@link ConsumerSession} of its own. Starting builds the
 * rocketmq-client-java consumer (which fetches the topic's route, so a container that has started receives at
 * once); stopping ends the session.
 */
final class ListenerContainer implements OnsListenerContainer {

    private static final Log LOG = LogFactory.getLog(ListenerContainer.class);

    private final ContainerSettings settings;

    private final String description;

    private final ConsumerBuilders consumers;

    private final ConsumerSession.Parts parts;

    private volatile @Nullable ConsumerSession session;

    /**
     * How a container gets its rocketmq-client-java consumer.
     *
     * @param newBuilder a new builder with the application's client configuration
     * @param customizer applied after the container's own settings (group, subscription, await duration), so
     *     that what a customizer sets wins
     */
    record ConsumerBuilders(Supplier<SimpleConsumerBuilder> newBuilder, Consumer<SimpleConsumerBuilder> customizer) {
    }

    ListenerContainer(ContainerSettings settings, String description, ConsumerBuilders consumers,
            ConsumerSession.Parts parts) {
        this.settings = settings;
        this.description = description;
        this.consumers = consumers;
        this.parts = parts;
    }

    @Override
    public String getId() {
        return settings.id();
    }

    @Override
    public String getGroup() {
        return settings.group();
    }

    @Override
    public String getProducer() {
        return settings.producer().name();
    }

    @Override
    public Map<String, String> getSubscription() {
        return settings.subscription();
    }

    @Override
    public String getListenerDescription() {
        return description;
    }

    @Override
    public int getConcurrency() {
        return settings.concurrency();
    }

    @Override
    public boolean isAutoStartup() {
        return settings.autoStartup();
    }

    @Override
    public State getState() {
        ConsumerSession current = session;
        if (current == null) {
            return State.STOPPED;
        }
        if (current.isPaused()) {
            return State.PAUSED;
        }
        return current.isFailing() ? State.FAILING : State.RUNNING;
    }

    @Override
    public synchronized void start() {
        ConsumerSession current = session;
        if (current != null) {
            current.resume();
            return;
        }
        SimpleConsumer consumer;
        try {
            Map<String, FilterExpression> subscription = new java.util.LinkedHashMap<>();
            settings.subscription().forEach((topic, tag) -> subscription.put(topic,
                new FilterExpression(tag, FilterExpressionType.TAG)));
            SimpleConsumerBuilder builder = consumers.newBuilder().get()
                .setConsumerGroup(settings.group())
                .setSubscriptionExpressions(subscription)
                .setAwaitDuration(settings.awaitDuration());
            consumers.customizer().accept(builder);
            consumer = builder.build();
        }
        catch (ClientException | RuntimeException ex) {
            throw new OnsDelayException("Cannot start the consumer of group '" + settings.group() + "' for "
                + description + " (subscription " + settings.subscription() + "): "
                + NestedExceptionUtils.getMostSpecificCause(ex).getMessage(), ex);
        }
        ConsumerSession started = new ConsumerSession(settings, consumer, parts);
        session = started;
        started.start();
        LOG.info("Consumer group '" + settings.group() + "' started for " + description + " on "
            + settings.subscription());
    }

    @Override
    public void stop() {
        stop(System.nanoTime() + settings.shutdownTimeout().toNanos());
    }

    /** Stops gracefully, waiting for handlers in progress until {@code deadlineNanos}. */
    synchronized void stop(long deadlineNanos) {
        ConsumerSession current = session;
        if (current == null) {
            return;
        }
        current.close(deadlineNanos);
        session = null;
        LOG.info("Consumer group '" + settings.group() + "' stopped");
    }

    @Override
    public void pause() {
        ConsumerSession current = session;
        if (current != null) {
            current.pause();
        }
    }

    @Override
    public void resume() {
        ConsumerSession current = session;
        if (current != null) {
            current.resume();
        }
    }

    @Override
    public ListenerFigures getFigures() {
        return parts.counters().snapshot();
    }

    ContainerCounters counters() {
        return parts.counters();
    }

    ContainerSettings settings() {
        return settings;
    }

    /** Frees the handler threads once the container is stopped for good. */
    void destroy() {
        stop();
        parts.dispatcher().shutdown();
    }

    @Override
    public String toString() {
        return "ListenerContainer[id=" + getId() + ", group=" + getGroup() + ", " + getState() + "]";
    }

}
