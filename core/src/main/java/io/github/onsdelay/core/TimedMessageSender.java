package io.github.onsdelay.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;


import io.github.onsdelay.core.observation.DefaultOnsSendObservationConvention;
import io.github.onsdelay.core.observation.OnsSendContext;
import io.github.onsdelay.core.observation.OnsSendObservation;
import io.github.onsdelay.core.observation.OnsSendObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.message.Message;
import org.apache.rocketmq.client.apis.message.MessageBuilder;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.client.apis.producer.SendReceipt;
import org.jspecify.annotations.Nullable;

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
 * Each send is an {@link OnsSendObservation}, whose trace context the message carries.
 *
 * <p>The send timeout bounds the whole send: no attempt of it starts after the caller was told it failed.
 * rocketmq-client-java would start attempts of its own later: it retries a failed attempt at once, up to its
 * {@code maxAttempts} (3), each bounded only by the request timeout, and cancelling its future stops none of them
 * (read in {@code ProducerImpl.send0}, 5.2.x). So the producer the auto-configuration builds makes one attempt per
 * call ({@code maxAttempts} 1), and this class makes up to three, each started before the bound, after a failure
 * without an answer (the connection failed or broke) or with the server's internal error; at the bound it cancels
 * the client's future, which stops an attempt that still waits for the topic's route from starting. A send reported
 * failed for want of an answer may or may not have been stored by the one attempt in flight at the bound (or, in
 * transit, by an earlier one whose connection broke); nothing it did after can store it. A second send may then
 * make a duplicate (at-least-once). A producer built elsewhere with more client attempts loses this bound.
 */
public final class TimedMessageSender {

    private static final OnsSendObservationConvention DEFAULT_CONVENTION = new DefaultOnsSendObservationConvention();

    /** Added to the broker's timer precision for the default delivery lead: covers the broker's release pipeline. */
    public static final Duration DEFAULT_LEAD_MARGIN = Duration.ofMillis(500);

    private final Producer producer;

    private final ClientServiceProvider provider;

    private final Clock clock;

    private final Duration maxDelay;

    private final boolean hopsEnabled;

    private final ObservationRegistry observations;

    private final @Nullable OnsSendObservationConvention convention;

    private final SendCounters counters = new SendCounters();

    private final TimeScale timeScale;

    /** The server's maximum delay, scaled: computed once, since every send plans with it. */
    private final Duration hopHorizon;

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
        this(producer, provider, clock, maxDelay, hopsEnabled, ObservationRegistry.NOOP, null);
    }

    /**
     * @param observations where each send is observed (its trace context then travels in the message)
     * @param convention names and tags the observations; {@link DefaultOnsSendObservationConvention} when null
     */
    public TimedMessageSender(Producer producer, ClientServiceProvider provider, Clock clock, Duration maxDelay,
            boolean hopsEnabled, ObservationRegistry observations, @Nullable OnsSendObservationConvention convention) {
        this(producer, provider, clock, maxDelay, hopsEnabled, observations, convention, TimeScale.NONE);
    }

    /**
     * @param timeScale how much faster than configured schedules run (tests only): it divides delays and the hop
     *     horizon
     */
    public TimedMessageSender(Producer producer, ClientServiceProvider provider, Clock clock, Duration maxDelay,
            boolean hopsEnabled, ObservationRegistry observations, @Nullable OnsSendObservationConvention convention,
            TimeScale timeScale) {
        this.timeScale = timeScale;
        this.hopHorizon = timeScale.scale(maxDelay);
        this.producer = producer;
        this.provider = provider;
        this.clock = clock;
        this.maxDelay = maxDelay;
        this.hopsEnabled = hopsEnabled;
        this.observations = observations;
        this.convention = convention;
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

    /** How much faster than configured schedules run: {@link TimeScale#NONE} but in tests. */
    public TimeScale timeScale() {
        return timeScale;
    }

    /** The longest single leg a message travels before it hops on: the server's maximum delay, scaled. */
    public Duration hopHorizon() {
        return hopHorizon;
    }

    /**
     * Fetches the routes of these topics now, rather than at the first send to each (see {@link ClientRoutes}).
     *
     * @return the topics whose route the client holds; the others are fetched at their first send. Null when the
     *     producer cannot fetch ahead (not rocketmq-client-java 5.2.0's)
     */
    public @Nullable Set<String> fetchRoutes(Collection<String> topics, Duration timeout) {
        return ClientRoutes.fetch(producer, topics, timeout);
    }

    /** What each producer's sends from the application have come to, by producer name. */
    public Map<String, SendFigures> figures() {
        return counters.snapshot();
    }

    /**
     * When the broker is asked to release a message due at {@code dueAt}: its due time less the lead, now if
     * that has passed, or {@code now} plus the {@link #hopHorizon} for a hop.
     */
    public Instant deliveryTime(Instant dueAt, Duration deliveryLead, Instant now) {
        Instant target = dueAt.minus(deliveryLead);
        if (!target.isAfter(now)) {
            return now;
        }
        Instant latest = now.plus(hopHorizon);
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
        try {
            planned = plan(message, deliveryLead);
        }
        catch (RuntimeException ex) {
            counters.failed(message);
            result.completeExceptionally(failure(message, ex, sendTimeout));
            return result;
        }
        OnsSendContext context = new OnsSendContext(message, planned.hop);
        Observation observation = observe(context).start();
        CompletableFuture<SendReceipt> sending;
        try (Observation.Scope scope = observation.openScope()) {
            sending = BoundedSend.sendAsync(producer, toRocketMQ(message, planned.deliverAt, context), sendTimeout);
        }
        catch (RuntimeException ex) {
            OnsSendException failure = failure(message, ex, sendTimeout);
            counters.failed(message);
            observation.error(failure);
            observation.stop();
            result.completeExceptionally(failure);
            return result;
        }
        sending.whenComplete((receipt, ex) -> {
            if (ex != null) {
                OnsSendException failure = failure(message, ex, sendTimeout);
                counters.failed(message);
                observation.error(failure);
                observation.stop();
                result.completeExceptionally(failure);
            }
            else {
                counters.accepted(message, planned.hop);
                context.setMessageId(receipt.getMessageId().toString());
                observation.stop();
                result.complete(planned.receipt(message, receipt));
            }
        });
        return result;
    }

    /**
     * Sends and waits on the calling thread; throws {@link OnsSendException} when the broker refuses the
     * message or does not accept it within {@code sendTimeout}. Unlike {@link #sendAsync}, it arms no timer
     * on a shared thread: the caller's own timed waits are the timeout.
     */
    public TimedMessageReceipt send(TimedMessage message, Duration deliveryLead, Duration sendTimeout) {
        Planned planned;
        try {
            planned = plan(message, deliveryLead);
        }
        catch (RuntimeException ex) {
            counters.failed(message);
            throw failure(message, ex, sendTimeout);
        }
        OnsSendContext context = new OnsSendContext(message, planned.hop);
        Observation observation = observe(context).start();
        try (Observation.Scope scope = observation.openScope()) {
            SendReceipt receipt = BoundedSend.await(producer, toRocketMQ(message, planned.deliverAt, context),
                sendTimeout);
            counters.accepted(message, planned.hop);
            context.setMessageId(receipt.getMessageId().toString());
            return planned.receipt(message, receipt);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw failed(observation, message, failure(message, ex, sendTimeout));
        }
        catch (ExecutionException | RuntimeException ex) {
            throw failed(observation, message, failure(message, ex, sendTimeout));
        }
        finally {
            observation.stop();
        }
    }

    /**
     * Asks the broker to take back a timed message it has not released yet, by the recall handle of its send.
     * The broker answers alike whether or not the message still existed.
     *
     * @throws OnsSendException when the broker refuses (recall off, a message already released) or does not
     *     answer within {@code timeout}
     */
    public void recall(String producerName, String topic, String recallHandle, Duration timeout) {
        try {
            producer.recallMessageAsync(topic, recallHandle).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new OnsSendException(producerName, topic, "recall interrupted", ex);
        }
        catch (ExecutionException | TimeoutException | RuntimeException ex) {
            Throwable cause = ex instanceof ExecutionException && ex.getCause() != null ? ex.getCause() : ex;
            String reason = cause instanceof TimeoutException
                ? "no answer to the recall within " + timeout.toMillis() + " ms"
                : "recall refused: " + cause.getClass().getSimpleName() + ": " + cause.getMessage();
            throw new OnsSendException(producerName, topic, reason, cause);
        }
    }

    private Observation observe(OnsSendContext context) {
        return OnsSendObservation.SEND.observation(convention, DEFAULT_CONVENTION, () -> context, observations);
    }

    private OnsSendException failed(Observation observation, TimedMessage message, OnsSendException failure) {
        counters.failed(message);
        observation.error(failure);
        return failure;
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
                + (timeScale.isScaled() ? " (" + hopHorizon() + " at the time scale " + timeScale + ")" : "")
                + " with mqs.ons.hops-enabled=false; shorten the delay, or enable hops", null);
        }
        return new Planned(deliverAt, hop);
    }

    /** The RocketMQ message: its headers, then the trace context the observation wrote, then ons-delay's own. */
    private Message toRocketMQ(TimedMessage message, Instant deliverAt, OnsSendContext context) {
        MessageBuilder builder = provider.newMessageBuilder()
            .setTopic(message.topic())
            .setBody(message.body())
            .setKeys(message.businessKey())
            .setDeliveryTimestamp(deliverAt.toEpochMilli());
        Map<String, String> properties = new LinkedHashMap<>(message.headers());
        Map<String, String> traced = context.getCarrier();
        if (traced != null) {
            properties.putAll(traced);
        }
        properties.forEach(builder::addProperty);
        builder.addProperty(OnsMessageProperties.ATTEMPT, Integer.toString(message.attempt()))
            .addProperty(OnsMessageProperties.DUE_AT, Long.toString(message.dueAt().toEpochMilli()))
            .addProperty(OnsMessageProperties.FIRST_SENT_AT, Long.toString(message.firstSentAt().toEpochMilli()))
            .addProperty(OnsMessageProperties.PRODUCER, message.producer())
            .addProperty(OnsMessageProperties.BUSINESS_KEY, message.businessKey());
        if (timeScale.isScaled()) {
            builder.addProperty(OnsMessageProperties.TIME_SCALE, Double.toString(timeScale.factor()));
        }
        if (message.tag() != null) {
            builder.setTag(message.tag());
        }
        if (message.targetGroup() != null) {
            builder.addProperty(OnsMessageProperties.TARGET_GROUP, message.targetGroup());
        }
        return builder.build();
    }

    private OnsSendException failure(TimedMessage message, Throwable failure, Duration sendTimeout) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof OnsSendException sendException) {
            return sendException;
        }
        // The server may be unreachable: the next send connects at once rather than after gRPC's back-off.
        ClientConnections.reconnectNow(producer);
        String reason = cause instanceof TimeoutException
            ? "no answer from the broker within the send timeout of " + sendTimeout.toMillis() + " ms"
            : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        String tls = TlsFailures.reason(cause);
        if (tls != null) {
            reason = "TLS with the proxy failed: " + tls;
        }
        else if (String.valueOf(cause.getMessage()).startsWith("UNAVAILABLE")) {
            reason += " (the server cannot be reached: check mqs.ons.endpoints, that the server is up, and that "
                + "mqs.ons.ssl-enabled matches whether it requires TLS)";
        }
        return new OnsSendException(message.producer(), message.topic(), reason, cause);
    }

}
