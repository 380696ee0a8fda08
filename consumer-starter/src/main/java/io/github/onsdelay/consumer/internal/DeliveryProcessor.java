package io.github.onsdelay.consumer.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import io.github.onsdelay.consumer.DeliveryContext;
import io.github.onsdelay.consumer.DeliveryJournal;
import io.github.onsdelay.consumer.Exhaustion;
import io.github.onsdelay.consumer.ListenerEvent;
import io.github.onsdelay.consumer.observation.DefaultOnsListenerObservationConvention;
import io.github.onsdelay.consumer.observation.OnsListenerContext;
import io.github.onsdelay.consumer.observation.OnsListenerObservation;
import io.github.onsdelay.consumer.observation.OnsListenerObservationConvention;
import io.github.onsdelay.core.OnsDelayException;
import io.github.onsdelay.core.OnsSendException;
import io.github.onsdelay.core.PayloadConverter;
import io.github.onsdelay.core.TimedMessage;
import io.github.onsdelay.core.TimedMessageSender;
import io.github.onsdelay.producer.ProducerSettings;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What happens to one delivery of a listener's group once it is due (its container holds it until then). In
 * order:
 * <ol>
 * <li>a body or ons-delay properties that cannot be read are poison: exhausted at once, never retried;</li>
 * <li>with a {@link DeliveryJournal}: a message whose key was cancelled after it was first sent is acknowledged
 * without running the handler, and so is an attempt already handled by an idempotent listener;</li>
 * <li>the handler runs (blocking, returning a future, or suspending); success is acknowledged;</li>
 * <li>failure sends attempt n+1, due after the producer's {@code delays[n]}, to this group only, and the
 * delivery is acknowledged once the broker accepted that retry;</li>
 * <li>with no delay left, the message is exhausted: forwarded to the dead-letter topic when one is set, then
 * handed to the exhaustion handler, and acknowledged.</li>
 * </ol>
 * Whenever a send or the exhaustion handler fails, the delivery is not acknowledged but given back to the
 * broker, which delivers it again after a backoff: nothing is lost, duplicates are possible. An
 * {@link Error} thrown by a handler is not the message's failure: the delivery is given back, never retried
 * as the next attempt. A message due too far ahead to hold is {@linkplain #sendOn sent on} instead (a hop).
 * Each due message is an {@link OnsListenerObservation}: it continues the trace the message carries, and the
 * retry or hop it sends carries it on; retries and exhaustions are also kept for operators.
 */
final class DeliveryProcessor {

    private static final Log LOG = LogFactory.getLog(DeliveryProcessor.class);

    private static final OnsListenerObservationConvention DEFAULT_CONVENTION =
        new DefaultOnsListenerObservationConvention();

    private final HandlerInvoker handler;

    private final ProducerSettings producer;

    private final String group;

    private final TimedMessageSender sender;

    private final PayloadConverter converter;

    private final Consumer<Exhaustion> exhaustion;

    private final @Nullable String deadLetterTopic;

    private final Executor handlerThreads;

    private final ContainerCounters counters;

    private final Observations observations;

    private final Journal journal;

    /**
     * The journal of deliveries this processor consults, and whether the handler runs once per attempt.
     *
     * @param deliveries the journal, or null for none
     * @param idempotent whether each attempt is handled once, recorded in the handler's transaction
     */
    record Journal(@Nullable DeliveryJournal deliveries, boolean idempotent) {

        static Journal none() {
            return new Journal(null, false);
        }

    }

    /**
     * Where handler runs are observed, and how they are named; the recent events log.
     *
     * @param registry where each due message's handling is observed
     * @param convention names and tags the observations; the default when null
     * @param events where retries and exhaustions are recorded for operators
     */
    record Observations(ObservationRegistry registry, @Nullable OnsListenerObservationConvention convention,
            RecentListenerEvents events) {

        static Observations none() {
            return new Observations(ObservationRegistry.NOOP, null, new RecentListenerEvents());
        }

    }

    DeliveryProcessor(HandlerInvoker handler, ProducerSettings producer, String group, TimedMessageSender sender,
            PayloadConverter converter, Consumer<Exhaustion> exhaustion, @Nullable String deadLetterTopic,
            Executor handlerThreads, ContainerCounters counters) {
        this(handler, producer, group, sender, converter, exhaustion, deadLetterTopic, handlerThreads, counters,
            Observations.none());
    }

    DeliveryProcessor(HandlerInvoker handler, ProducerSettings producer, String group, TimedMessageSender sender,
            PayloadConverter converter, Consumer<Exhaustion> exhaustion, @Nullable String deadLetterTopic,
            Executor handlerThreads, ContainerCounters counters, Observations observations) {
        this(handler, producer, group, sender, converter, exhaustion, deadLetterTopic, handlerThreads, counters,
            observations, Journal.none());
    }

    DeliveryProcessor(HandlerInvoker handler, ProducerSettings producer, String group, TimedMessageSender sender,
            PayloadConverter converter, Consumer<Exhaustion> exhaustion, @Nullable String deadLetterTopic,
            Executor handlerThreads, ContainerCounters counters, Observations observations, Journal journal) {
        this.journal = journal;
        this.handler = handler;
        this.producer = producer;
        this.group = group;
        this.sender = sender;
        this.converter = converter;
        this.exhaustion = exhaustion;
        this.deadLetterTopic = deadLetterTopic;
        this.handlerThreads = handlerThreads;
        this.counters = counters;
        this.observations = observations;
    }

    String group() {
        return group;
    }

    ProducerSettings producer() {
        return producer;
    }

    /**
     * Handles a due message on the calling handler thread; the future completes once its fate is settled. The
     * handler, and the retry or exhaustion that follows it, run in the message's observation.
     */
    CompletableFuture<Disposition> process(HeldMessage message) {
        Delivery delivery = message.delivery;
        OnsListenerContext observed = new OnsListenerContext(message.properties, group,
            delivery != null ? delivery.producer() : producer.name(), delivery != null ? delivery.attempt() : 0,
            delivery != null ? delivery.businessKey() : DeliveryReader.messageKey(message.view),
            message.view.getMessageId().toString());
        Observation observation = OnsListenerObservation.HANDLER.observation(observations.convention(),
            DEFAULT_CONVENTION, () -> observed, observations.registry()).start();
        CompletableFuture<Disposition> settled;
        try (Observation.Scope scope = observation.openScope()) {
            settled = handle(message, delivery, observation, observed);
        }
        catch (RuntimeException | Error ex) {
            observed.setOutcome("redelivered");
            observation.error(ex);
            observation.stop();
            throw ex;
        }
        return settled.whenComplete((disposition, ex) -> {
            if (ex != null) {
                observed.setOutcome("redelivered");
                observation.error(ex);
            }
            else if (!disposition.acknowledge()) {
                observed.setOutcome("redelivered");
            }
            observation.stop();
        });
    }

    private CompletableFuture<Disposition> handle(HeldMessage message, @Nullable Delivery delivery,
            Observation observation, OnsListenerContext observed) {
        if (delivery == null) {
            RuntimeException reason = message.unreadable != null ? message.unreadable
                : new IllegalArgumentException("unreadable message");
            return CompletableFuture.completedFuture(
                exhaust(message, Exhaustion.Reason.POISON, null, fallbackContext(message), reason, observation, observed));
        }
        DeliveryContext context = context(message, delivery);
        Object payload;
        try {
            payload = converter.fromBody(message.body, handler.payloadType());
        }
        catch (RuntimeException ex) {
            return CompletableFuture.completedFuture(
                exhaust(message, Exhaustion.Reason.POISON, null, context, ex, observation, observed));
        }
        DeliveryJournal deliveries = journal.deliveries();
        if (cancelled(context, "acknowledged without running the handler")) {
            observed.setOutcome("cancelled");
            return CompletableFuture.completedFuture(Disposition.ACKNOWLEDGE);
        }
        CompletableFuture<Boolean> outcome;
        if (deliveries != null && journal.idempotent()) {
            Boolean handled;
            try {
                handled = deliveries.handleOnce(context, () -> handler.invoke(payload, context).join());
            }
            catch (CompletionException ex) {
                outcome = CompletableFuture.failedFuture(ex.getCause() != null ? ex.getCause() : ex);
                return CompletableFuture.completedFuture(settle(message, delivery, payload, context, outcome,
                    observation, observed));
            }
            catch (Exception ex) {
                outcome = CompletableFuture.failedFuture(ex);
                return CompletableFuture.completedFuture(settle(message, delivery, payload, context, outcome,
                    observation, observed));
            }
            if (handled == null) {
                counters.duplicates.increment();
                observed.setOutcome("duplicate");
                LOG.debug("Attempt " + delivery.attempt() + " of key " + delivery.businessKey() + " was already "
                    + "handled by group '" + group + "'; acknowledged without running the handler again");
                return CompletableFuture.completedFuture(Disposition.ACKNOWLEDGE);
            }
            outcome = CompletableFuture.completedFuture(handled);
        }
        else {
            outcome = handler.invoke(payload, context);
        }
        if (outcome.isDone()) {
            return CompletableFuture.completedFuture(settle(message, delivery, payload, context, outcome, observation,
                observed));
        }
        // Settled on a handler thread: a retry send and an exhaustion handler may block.
        return outcome.handle((result, ex) -> null).thenApplyAsync(ignored -> {
            try (Observation.Scope scope = observation.openScope()) {
                return settle(message, delivery, payload, context, outcome, observation, observed);
            }
        }, handlerThreads);
    }

    private Disposition settle(HeldMessage message, Delivery delivery, Object payload, DeliveryContext context,
            CompletableFuture<Boolean> outcome, Observation observation, OnsListenerContext observed) {
        Throwable failure;
        try {
            if (Boolean.TRUE.equals(outcome.join())) {
                counters.succeeded.increment();
                return Disposition.ACKNOWLEDGE;
            }
            failure = new OnsDelayException(handler.description() + " returned false on attempt " + delivery.attempt());
        }
        catch (CompletionException ex) {
            failure = ex.getCause() != null ? ex.getCause() : ex;
        }
        catch (java.util.concurrent.CancellationException ex) {
            failure = ex;
        }
        if (failure instanceof Error error) {
            LOG.error(handler.description() + " threw " + error + " on attempt " + delivery.attempt() + " of key "
                + delivery.businessKey() + "; giving the delivery back to the broker, not retrying it as the next "
                + "attempt", error);
            observation.error(error);
            return Disposition.redeliverLater(message.view.getDeliveryAttempt());
        }
        observation.error(failure);
        return retry(message, delivery, payload, context, failure, observation, observed);
    }

    private Disposition retry(HeldMessage message, Delivery delivery, Object payload, DeliveryContext context,
            Throwable failure, Observation observation, OnsListenerContext observed) {
        int next = delivery.attempt() + 1;
        Optional<Duration> delay = producer.schedule().delayOf(next);
        if (delay.isEmpty()) {
            return exhaust(message, Exhaustion.Reason.RETRIES_EXHAUSTED, payload, context, failure, observation,
                observed);
        }
        Instant dueAt = sender.clock().instant().truncatedTo(ChronoUnit.MILLIS).plus(delay.get());
        try {
            send(message, delivery, message.view.getTopic(), next, dueAt);
        }
        catch (OnsSendException ex) {
            LOG.warn("Could not send attempt " + next + " of key " + delivery.businessKey() + " for group '" + group
                + "'; giving the delivery back to the broker to be delivered again: " + ex.getMessage());
            return Disposition.redeliverLater(message.view.getDeliveryAttempt());
        }
        counters.retried.increment();
        observed.setOutcome("retry");
        observations.events().record(new ListenerEvent(ListenerEvent.Type.RETRY, group, delivery.producer(),
            delivery.businessKey(), delivery.attempt(), sender.clock().instant(), dueAt, String.valueOf(failure)));
        if (LOG.isInfoEnabled()) {
            LOG.info(handler.description() + " failed on attempt " + delivery.attempt() + " of key "
                + delivery.businessKey() + " (" + failure + "); attempt " + next + " is due at " + dueAt);
        }
        return Disposition.ACKNOWLEDGE;
    }

    /**
     * Sends a message that is due too far ahead to hold on to the broker again, as a hop that keeps its due
     * time, attempt and key, addressed to this group; acknowledged once the broker accepted it.
     */
    Disposition sendOn(HeldMessage message, Delivery delivery) {
        OnsListenerContext observed = new OnsListenerContext(message.properties, group, delivery.producer(),
            delivery.attempt(), delivery.businessKey(), message.view.getMessageId().toString());
        observed.setOutcome("hop");
        Observation observation = OnsListenerObservation.HOP.observation(null,
            DefaultOnsListenerObservationConvention.HOP, () -> observed, observations.registry()).start();
        try (Observation.Scope scope = observation.openScope()) {
            if (cancelledBeforeHop(message, delivery)) {
                observed.setOutcome("cancelled");
                return Disposition.ACKNOWLEDGE;
            }
            send(message, delivery, message.view.getTopic(), delivery.attempt(), delivery.dueAt());
            counters.hops.increment();
            return Disposition.ACKNOWLEDGE;
        }
        catch (OnsSendException ex) {
            observed.setOutcome("redelivered");
            observation.error(ex);
            LOG.warn("Could not send on key " + delivery.businessKey() + " (due " + delivery.dueAt() + ") for group '"
                + group + "'; giving the delivery back to the broker to be delivered again: " + ex.getMessage());
            return Disposition.redeliverLater(message.view.getDeliveryAttempt());
        }
        finally {
            observation.stop();
        }
    }

    /**
     * Whether the journal has a tombstone for the key (counted, when it has): a cancelled message stops
     * hopping here rather than at its last leg, days later. Should the journal not answer, the message hops on
     * and its last leg asks again.
     */
    private boolean cancelledBeforeHop(HeldMessage message, Delivery delivery) {
        try {
            return cancelled(context(message, delivery), "its hop is acknowledged, not sent on");
        }
        catch (RuntimeException ex) {
            LOG.warn("Could not ask the journal whether key " + delivery.businessKey() + " was cancelled; sending "
                + "the hop on, its last leg asks again: " + ex);
            return false;
        }
    }

    /** Whether the journal has a tombstone for the delivery's key; counts it when it has. */
    private boolean cancelled(DeliveryContext context, String what) {
        DeliveryJournal deliveries = journal.deliveries();
        if (deliveries == null || !deliveries.isCancelled(context)) {
            return false;
        }
        counters.cancelled.increment();
        LOG.debug("Key " + context.businessKey() + " was cancelled; " + what);
        return true;
    }

    private void send(HeldMessage message, Delivery delivery, String topic, int attempt, Instant dueAt) {
        TimedMessage timed = new TimedMessage(delivery.producer(), topic, message.view.getTag().orElse(null),
            delivery.businessKey(), message.body, attempt, dueAt, delivery.firstSentAt(), group);
        sender.send(timed, producer.deliveryLead(), producer.sendTimeout());
    }

    private Disposition exhaust(HeldMessage message, Exhaustion.Reason reason, @Nullable Object payload,
            DeliveryContext context, Throwable lastError, Observation observation, OnsListenerContext observed) {
        boolean poison = reason == Exhaustion.Reason.POISON;
        observed.setOutcome(poison ? "poison" : "exhausted");
        observation.error(lastError);
        try {
            String topic = this.deadLetterTopic;
            if (topic != null) {
                // Forwarded first: if this fails, the handler has not run yet and the broker delivers it again.
                sender.send(new TimedMessage(context.producer(), topic, context.tag().isEmpty() ? null : context.tag(),
                    context.businessKey(), message.body, context.attempt(), sender.clock().instant(),
                    context.firstSentAt(), group), Duration.ZERO, producer.sendTimeout());
            }
            Exhaustion exhausted = new Exhaustion(reason, payload, message.body, context, lastError);
            DeliveryJournal deliveries = journal.deliveries();
            if (deliveries != null) {
                // Kept before the handler runs: if the handler fails, the redelivery keeps it once.
                deliveries.exhausted(exhausted);
            }
            exhaustion.accept(exhausted);
            (poison ? counters.poison : counters.exhausted).increment();
            observations.events().record(new ListenerEvent(poison ? ListenerEvent.Type.POISON
                : ListenerEvent.Type.EXHAUSTED, group, context.producer(), context.businessKey(), context.attempt(),
                sender.clock().instant(), null, String.valueOf(lastError)));
            return Disposition.ACKNOWLEDGE;
        }
        catch (RuntimeException ex) {
            LOG.error("Exhaustion of key " + context.businessKey() + " in group '" + group + "' failed; giving the "
                + "delivery back to the broker to be delivered again", ex);
            return Disposition.redeliverLater(message.view.getDeliveryAttempt());
        }
    }

    private DeliveryContext context(HeldMessage message, Delivery delivery) {
        return new DeliveryContext(delivery.producer(), group, message.view.getTopic(),
            message.view.getTag().orElse(""), message.view.getMessageId().toString(), delivery.businessKey(),
            delivery.attempt(), Math.max(0, producer.schedule().maxRetries() - delivery.attempt()), delivery.dueAt(),
            delivery.firstSentAt(), message.view.getDeliveryAttempt());
    }

    /** For a message whose own properties cannot be read: what can be said of it without them. */
    private DeliveryContext fallbackContext(HeldMessage message) {
        Instant born = Instant.ofEpochMilli(message.view.getBornTimestamp());
        return new DeliveryContext(producer.name(), group, message.view.getTopic(), message.view.getTag().orElse(""),
            message.view.getMessageId().toString(), DeliveryReader.messageKey(message.view), 0, 0, born, born,
            message.view.getDeliveryAttempt());
    }

}
