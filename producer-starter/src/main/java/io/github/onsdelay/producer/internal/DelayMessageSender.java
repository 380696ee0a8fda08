package io.github.onsdelay.producer.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.onsdelay.producer.OnsMessageProperties;
import io.github.onsdelay.producer.OnsSendException;
import io.github.onsdelay.producer.PayloadConverter;
import io.github.onsdelay.producer.SendResult;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.message.Message;
import org.apache.rocketmq.client.apis.message.MessageBuilder;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.client.apis.producer.SendReceipt;

/**
 * Sends timed messages through the application's one rocketmq-client-java producer. Every message gets a
 * delivery timestamp, even when it is due now, so that a DELAY topic accepts it; a message due later than
 * {@code maxDelay} from now is sent as a hop due at {@code now + maxDelay}, carrying its final due time.
 */
public class DelayMessageSender {

    private final Producer producer;

    private final ClientServiceProvider provider;

    private final PayloadConverter converter;

    private final Clock clock;

    private final Duration maxDelay;

    private final boolean hopsEnabled;

    public DelayMessageSender(Producer producer, ClientServiceProvider provider, PayloadConverter converter,
            Clock clock, Duration maxDelay) {
        this(producer, provider, converter, clock, maxDelay, true);
    }

    /**
     * @param hopsEnabled whether a message due later than {@code maxDelay} travels in hops; when false such a
     *     send fails instead
     */
    public DelayMessageSender(Producer producer, ClientServiceProvider provider, PayloadConverter converter,
            Clock clock, Duration maxDelay, boolean hopsEnabled) {
        this.producer = producer;
        this.provider = provider;
        this.converter = converter;
        this.clock = clock;
        this.maxDelay = maxDelay;
        this.hopsEnabled = hopsEnabled;
    }

    public PayloadConverter converter() {
        return converter;
    }

    public Clock clock() {
        return clock;
    }

    public Duration maxDelay() {
        return maxDelay;
    }

    /** When a message due at {@code dueAt} is handed to the broker: the due time, or a hop of at most maxDelay. */
    public Instant deliveryTime(Instant dueAt, Instant now) {
        if (!dueAt.isAfter(now)) {
            return now;
        }
        Instant latest = now.plus(maxDelay);
        return dueAt.isAfter(latest) ? latest : dueAt;
    }

    /**
     * Sends a message; the future completes with the broker's receipt, or exceptionally with an
     * {@link OnsSendException} when the broker refuses it or does not answer within {@code sendTimeout}.
     */
    public CompletableFuture<SendResult> send(OutgoingMessage message, Duration sendTimeout) {
        CompletableFuture<SendResult> result = new CompletableFuture<>();
        Instant deliverAt;
        CompletableFuture<SendReceipt> sending;
        try {
            deliverAt = checkedDeliveryTime(message);
            sending = producer.sendAsync(toRocketMQ(message, deliverAt));
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
                result.complete(toResult(message, deliverAt, receipt));
            }
        });
        return result;
    }

    /**
     * Sends and waits on the calling thread; throws {@link OnsSendException} when the broker refuses the
     * message or does not accept it within {@code sendTimeout}. Unlike {@link #send}, it arms no timer on a
     * shared thread: the caller's own timed wait is the timeout.
     */
    public SendResult sendAndWait(OutgoingMessage message, Duration sendTimeout) {
        try {
            Instant deliverAt = checkedDeliveryTime(message);
            SendReceipt receipt = producer.sendAsync(toRocketMQ(message, deliverAt))
                .get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return toResult(message, deliverAt, receipt);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw failure(message, ex, sendTimeout);
        }
        catch (ExecutionException | TimeoutException | RuntimeException ex) {
            throw failure(message, ex, sendTimeout);
        }
    }

    private Instant checkedDeliveryTime(OutgoingMessage message) {
        Instant now = clock.instant();
        Instant deliverAt = deliveryTime(message.dueAt(), now);
        if (!hopsEnabled && deliverAt.isBefore(message.dueAt())) {
            throw new OnsSendException(message.producer(), message.topic(), "due in "
                + Duration.between(now, message.dueAt()) + ", longer than mqs.ons.max-delay=" + maxDelay
                + " with mqs.ons.hops-enabled=false; shorten the delay, or enable hops", null);
        }
        return deliverAt;
    }

    private static SendResult toResult(OutgoingMessage message, Instant deliverAt, SendReceipt receipt) {
        return new SendResult(true, receipt.getMessageId().toString(), message.attempt(), message.dueAt(), deliverAt,
            message.businessKey(), receipt.getRecallHandle());
    }

    private Message toRocketMQ(OutgoingMessage message, Instant deliverAt) {
        MessageBuilder builder = provider.newMessageBuilder()
            .setTopic(message.topic())
            .setBody(message.body())
            .setKeys(message.businessKey())
            .setDeliveryTimestamp(deliverAt.toEpochMilli())
            .addProperty(OnsMessageProperties.ATTEMPT, Integer.toString(message.attempt()))
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

    private static OnsSendException failure(OutgoingMessage message, Throwable failure, Duration sendTimeout) {
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
