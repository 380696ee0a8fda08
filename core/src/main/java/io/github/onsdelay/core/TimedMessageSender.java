package io.github.onsdelay.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.message.Message;
import org.apache.rocketmq.client.apis.message.MessageBuilder;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.client.apis.producer.SendReceipt;

/**
 * Sends timed messages through the application's one rocketmq-client-java producer. For each message:
 * <ol>
 * <li>the broker is asked to release it its delivery lead before it is due (the broker's timer releases a
 * message up to one timer slot late, so an ons-delay consumer receives it early and holds it until due),
 * never before now;</li>
 * <li>a message due later than {@code maxDelay} from then travels as a hop released at {@code now + maxDelay},
 * carrying its final due time; with hops off, such a send fails instead;</li>
 * <li>every message gets a delivery timestamp, even when it is due now, so that a DELAY topic accepts it, and
 * the documented {@link OnsMessageProperties};</li>
 * <li>the send completes with the broker's receipt, or fails with an {@link OnsSendException} naming producer,
 * topic and cause when the broker refuses it or does not answer within the send timeout.</li>
 * </ol>
 * A send that timed out may still have been stored by the broker: the caller sees a failure, and a second
 * send may make a duplicate (at-least-once).
 */
public final class TimedMessageSender {

    /** Added to the broker's timer precision for the default delivery lead: covers the broker's release pipeline. */
    public static final Duration DEFAULT_LEAD_MARGIN = Duration.ofMillis(500);

    private final Producer producer;

    private final ClientServiceProvider provider;

    private final Clock clock;

    private final Duration maxDelay;

    private final boolean hopsEnabled;

    /**
     * @param producer the rocketmq-client-java producer to send through
     * @param provider builds RocketMQ messages
     * @param clock the clock due times are computed with
     * @param maxDelay longest single delay the server accepts
     * @param hopsEnabled whether a message due later than {@code maxDelay} travels in hops; when false such a
     *     send fails instead
     */
    public TimedMessageSender(Producer producer, ClientServiceProvider provider, Clock clock, Duration maxDelay,
            boolean hopsEnabled) {
        this.producer = producer;
        this.provider = provider;
        this.clock = clock;
        this.maxDelay = maxDelay;
        this.hopsEnabled = hopsEnabled;
    }

    /** The default delivery lead for a broker whose timer has this precision. */
    public static Duration defaultDeliveryLead(Duration timerPrecision) {
        return timerPrecision.plus(DEFAULT_LEAD_MARGIN);
    }

    public Clock clock() {
        return clock;
    }

    public Duration maxDelay() {
        return maxDelay;
    }

    /**
     * When the broker is asked to release a message due at {@code dueAt}: its due time less the lead, now if
     * that has passed, or {@code now + maxDelay} for a hop.
     */
    public Instant deliveryTime(Instant dueAt, Duration deliveryLead, Instant now) {
        Instant target = dueAt.minus(deliveryLead);
        if (!target.isAfter(now)) {
            return now;
        }
        Instant latest = now.plus(maxDelay);
        return target.isAfter(latest) ? latest : target;
    }

    /**
     * Sends a message; the future completes with the broker's receipt, or exceptionally with an
     * {@link OnsSendException} when the broker refuses it or does not answer within {@code sendTimeout}.
     */
    public CompletableFuture<TimedMessageReceipt> sendAsync(TimedMessage message, Duration deliveryLead,
            Duration sendTimeout) {
        CompletableFuture<TimedMessageReceipt> result = new CompletableFuture<>();
        Planned planned;
        CompletableFuture<SendReceipt> sending;
        try {
            planned = plan(message, deliveryLead);
            sending = producer.sendAsync(toRocketMQ(message, planned.deliverAt));
        }
        catch (RuntimeException ex) {
            result.completeExceptionally(failure(message, ex, sendTimeout));
            return result;
        }
        // A copy, so that the timeout never completes the client's own future.
        sending.copy().orTimeout(sendTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((receipt, ex) -> {
            if (ex != null) {
                result.completeExceptionally(failure(message, ex, sendTimeout));
            }
            else {
                result.complete(planned.receipt(message, receipt));
            }
        });
        return result;
    }

    /**
     * Sends and waits on the calling thread; throws {@link OnsSendException} when the broker refuses the
     * message or does not accept it within {@code sendTimeout}. Unlike {@link #sendAsync}, it arms no timer
     * on a shared thread: the caller's own timed wait is the timeout.
     */
    public TimedMessageReceipt send(TimedMessage message, Duration deliveryLead, Duration sendTimeout) {
        try {
            Planned planned = plan(message, deliveryLead);
            SendReceipt receipt = producer.sendAsync(toRocketMQ(message, planned.deliverAt))
                .get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return planned.receipt(message, receipt);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw failure(message, ex, sendTimeout);
        }
        catch (ExecutionException | TimeoutException | RuntimeException ex) {
            throw failure(message, ex, sendTimeout);
        }
    }

    private record Planned(Instant deliverAt, boolean hop) {

        TimedMessageReceipt receipt(TimedMessage message, SendReceipt receipt) {
            return new TimedMessageReceipt(receipt.getMessageId().toString(), message.dueAt(), deliverAt, hop,
                receipt.getRecallHandle());
        }

    }

    private Planned plan(TimedMessage message, Duration deliveryLead) {
        Instant now = clock.instant();
        Instant deliverAt = deliveryTime(message.dueAt(), deliveryLead, now);
        boolean hop = deliverAt.isBefore(message.dueAt().minus(deliveryLead));
        if (hop && !hopsEnabled) {
            throw new OnsSendException(message.producer(), message.topic(), "due in "
                + Duration.between(now, message.dueAt()) + ", longer than mqs.ons.max-delay=" + maxDelay
                + " with mqs.ons.hops-enabled=false; shorten the delay, or enable hops", null);
        }
        return new Planned(deliverAt, hop);
    }

    private Message toRocketMQ(TimedMessage message, Instant deliverAt) {
        MessageBuilder builder = provider.newMessageBuilder()
            .setTopic(message.topic())
            .setBody(message.body())
            .setKeys(message.businessKey())
            .setDeliveryTimestamp(deliverAt.toEpochMilli());
        message.headers().forEach(builder::addProperty);
        builder.addProperty(OnsMessageProperties.ATTEMPT, Integer.toString(message.attempt()))
            .addProperty(OnsMessageProperties.DUE_AT, Long.toString(message.dueAt().toEpochMilli()))
            .addProperty(OnsMessageProperties.FIRST_SENT_AT, Long.toString(message.firstSentAt().toEpochMilli()))
            .addProperty(OnsMessageProperties.PRODUCER, message.producer())
            .addProperty(OnsMessageProperties.BUSINESS_KEY, message.businessKey());
        if (message.tag() != null) {
            builder.setTag(message.tag());
        }
        if (message.targetGroup() != null) {
            builder.addProperty(OnsMessageProperties.TARGET_GROUP, message.targetGroup());
        }
        return builder.build();
    }

    private static OnsSendException failure(TimedMessage message, Throwable failure, Duration sendTimeout) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof OnsSendException sendException) {
            return sendException;
        }
        String reason = cause instanceof TimeoutException
            ? "no answer from the broker within the send timeout of " + sendTimeout.toMillis() + " ms"
            : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return new OnsSendException(message.producer(), message.topic(), reason, cause);
    }

}
