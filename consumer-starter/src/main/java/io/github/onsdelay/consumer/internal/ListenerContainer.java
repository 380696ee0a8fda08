package io.github.onsdelay.consumer.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.onsdelay.producer.OnsDelayException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.rocketmq.client.apis.ClientException;
import org.apache.rocketmq.client.apis.consumer.ConsumeResult;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.PushConsumer;
import org.apache.rocketmq.client.apis.consumer.PushConsumerBuilder;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.jspecify.annotations.Nullable;
import org.springframework.core.NestedExceptionUtils;

/**
 * One listener's push consumer: its group, its subscription, and the count of deliveries in progress, so
 * that a graceful stop lets them finish.
 */
public final class ListenerContainer {

    private static final Log LOG = LogFactory.getLog(ListenerContainer.class);

    private final String group;

    private final String description;

    private final Map<String, FilterExpression> subscription;

    private final DeliveryProcessor processor;

    private final Supplier<PushConsumerBuilder> builder;

    private final AtomicInteger inFlight = new AtomicInteger();

    private volatile boolean accepting;

    private @Nullable PushConsumer consumer;

    ListenerContainer(String group, String description, Map<String, FilterExpression> subscription,
            DeliveryProcessor processor, Supplier<PushConsumerBuilder> builder) {
        this.group = group;
        this.description = description;
        this.subscription = Map.copyOf(subscription);
        this.processor = processor;
        this.builder = builder;
    }

    public String group() {
        return group;
    }

    public Map<String, FilterExpression> subscription() {
        return subscription;
    }

    synchronized void start() {
        if (consumer != null) {
            return;
        }
        accepting = true;
        try {
            consumer = builder.get()
                .setConsumerGroup(group)
                .setSubscriptionExpressions(subscription)
                .setMessageListener(this::onMessage)
                .build();
        }
        catch (ClientException | RuntimeException ex) {
            accepting = false;
            throw new OnsDelayException("Cannot start the consumer of group '" + group + "' for " + description
                + " (subscription " + subscription + "): " + NestedExceptionUtils.getMostSpecificCause(ex).getMessage(),
                ex);
        }
        LOG.info("Consumer group '" + group + "' started for " + description + " on " + subscription);
    }

    private ConsumeResult onMessage(MessageView message) {
        if (!accepting) {
            // Stopping: not handled now, so the broker delivers it again later, to this or another instance.
            return ConsumeResult.FAILURE;
        }
        inFlight.incrementAndGet();
        try {
            return processor.process(message);
        }
        finally {
            if (inFlight.decrementAndGet() == 0) {
                synchronized (inFlight) {
                    inFlight.notifyAll();
                }
            }
        }
    }

    /** Takes no new deliveries; returns once those in progress are done or the deadline passed. */
    void quiesce(long deadlineNanos) {
        accepting = false;
        synchronized (inFlight) {
            while (inFlight.get() > 0) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    LOG.warn("Consumer group '" + group + "' still has " + inFlight.get()
                        + " deliveries in progress at the end of the shutdown timeout; they will be delivered again");
                    return;
                }
                try {
                    inFlight.wait(Math.max(1, Duration.ofNanos(remaining).toMillis()));
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    synchronized void close() {
        PushConsumer current = consumer;
        consumer = null;
        if (current != null) {
            try {
                current.close();
            }
            catch (IOException ex) {
                LOG.warn("Closing the consumer of group '" + group + "' failed", ex);
            }
        }
    }

}
