package io.github.onsdelay.consumer.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.github.onsdelay.consumer.DeliveryContext;
import io.github.onsdelay.consumer.Exhaustion;
import io.github.onsdelay.consumer.observation.DefaultOnsListenerObservationConvention;
import io.github.onsdelay.consumer.observation.OnsListenerContext;
import io.github.onsdelay.consumer.observation.OnsListenerObservation;
import io.github.onsdelay.consumer.observation.OnsListenerObservationConvention;
import io.github.onsdelay.core.PayloadConverter;
import io.github.onsdelay.producer.ProducerSettings;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What happens to a message once it is due, on a handler thread, in order:
 * <ol>
 * <li>a message whose every lease was lost while it waited is not run: the broker delivers it again;</li>
 * <li>a body or ons-delay properties that cannot be read are poison: exhausted at once, never retried;</li>
 * <li>the {@link FilterChain} may skip it (a cancelled key, an attempt already handled): acknowledged;</li>
 * <li>the {@link HandlerRun} runs the handler, with its timeout; success is acknowledged;</li>
 * <li>a failure goes to the {@link FailureHandler}: the next attempt, or exhaustion;</li>
 * <li>an {@link Error} is not the message's failure: the delivery is given back.</li>
 * </ol>
 * If the lease was lost while the handler ran, its failure is not applied (no retry, no exhaustion): whoever
 * has the message now decides. The verdict goes to settlement once. Each due message is an
 * {@link OnsListenerObservation}: it continues the trace the message carries, and the retry it sends carries it on.
 */
final class DeliveryHandler {

    private static final Log LOG = LogFactory.getLog(DeliveryHandler.class);

    private static final OnsListenerObservationConvention DEFAULT_CONVENTION =
        new DefaultOnsListenerObservationConvention();

    private final String group;

    private final ProducerSettings producer;

    private final Clock clock;

    private final PayloadConverter converter;

    private final FilterChain filters;

    private final HandlerRun handler;

    private final FailureHandler failures;

    private final ContainerCounters counters;

    private final Observations observations;

    /**
     * Where handler runs are observed, and how they are named.
     *
     * @param registry where each due message's handling is observed
     * @param convention names and tags the observations; the default when null
     */
    record Observations(ObservationRegistry registry, @Nullable OnsListenerObservationConvention convention) {

        static Observations none() {
            return new Observations(ObservationRegistry.NOOP, null);
        }

    }

    DeliveryHandler(String group, ProducerSettings producer, Clock clock, PayloadConverter converter,
            FilterChain filters, HandlerRun handler, FailureHandler failures, ContainerCounters counters,
            Observations observations) {
        this.group = group;
        this.producer = producer;
        this.clock = clock;
        this.converter = converter;
        this.filters = filters;
        this.handler = handler;
        this.failures = failures;
        this.counters = counters;
        this.observations = observations;
    }

    /** Handles a due message; {@code verdict} is told once what settlement should do with it. */
    void handle(HeldMessage message, Consumer<Disposition> verdict) {
        Delivery delivery = message.delivery;
        if (!message.isLeased()) {
            counters.outcomesDiscarded.increment();
            LOG.warn("Message " + message.messageId() + " of group '" + group + "' lost its lease while it waited "
                + "for a handler; not running it here, the broker delivers it again");
            verdict.accept(Disposition.FORGET);
            return;
        }
        counters.handlerStarted();
        if (delivery != null) {
            counters.lateness(Duration.between(delivery.dueAt(), clock.instant()));
        }
        OnsListenerContext observed = new OnsListenerContext(message.properties, group,
            delivery != null ? delivery.producer() : producer.name(), delivery != null ? delivery.attempt() : 0,
            delivery != null ? delivery.businessKey() : DeliveryReader.messageKey(message.view()), message.messageId());
        Observation observation = OnsListenerObservation.HANDLER.observation(observations.convention(),
            DEFAULT_CONVENTION, () -> observed, observations.registry()).start();
        Outcomes outcomes = new Outcomes(observed, observation);
        Consumer<Disposition> settle = disposition -> {
            if (disposition.kind() == Disposition.Kind.GIVE_BACK) {
                observed.setOutcome("redelivered");
            }
            observation.stop();
            counters.handlerEnded();
            verdict.accept(disposition);
        };
        try (Observation.Scope scope = observation.openScope()) {
            handle(message, delivery, observation, outcomes, settle);
        }
        catch (RuntimeException | Error ex) {
            LOG.error("Handling a message of group '" + group + "' failed unexpectedly; giving it back", ex);
            observation.error(ex);
            settle.accept(Disposition.giveBack("handling failed unexpectedly: " + ex));
        }
    }

    private void handle(HeldMessage message, @Nullable Delivery delivery, Observation observation, Outcomes outcomes,
            Consumer<Disposition> settle) {
        if (delivery == null) {
            RuntimeException reason = message.unreadable != null ? message.unreadable
                : new IllegalArgumentException("unreadable message");
            settle.accept(failures.exhaust(message, Exhaustion.Reason.POISON, null, fallbackContext(message), reason,
                outcomes));
            return;
        }
        DeliveryContext context = context(message, delivery);
        Object payload;
        try {
            payload = converter.fromBody(message.body(), handler.invoker().payloadType());
        }
        catch (RuntimeException ex) {
            settle.accept(failures.exhaust(message, Exhaustion.Reason.POISON, null, context, ex, outcomes));
            return;
        }
        String skippedBy;
        try {
            skippedBy = filters.skippedBy(context);
        }
        catch (RuntimeException ex) {
            LOG.warn("A filter of group '" + group + "' failed for key " + delivery.businessKey() + "; giving the "
                + "delivery back to the broker to be delivered again: " + ex);
            observation.error(ex);
            settle.accept(Disposition.giveBack("a filter failed: " + ex));
            return;
        }
        if (skippedBy != null) {
            outcomes.outcome(skippedBy);
            settle.accept(Disposition.ACKNOWLEDGE);
            return;
        }
        CompletableFuture<HandlerRun.Outcome> outcome = new CompletableFuture<>();
        // Registered before the run: a blocking handler that outlasts its timeout never returns here in time.
        outcome.thenAccept(result -> {
            CompletableFuture<Disposition> disposition;
            try (Observation.Scope scope = observation.openScope()) {
                disposition = apply(message, delivery, context, payload, result, outcomes);
            }
            catch (RuntimeException | Error ex) {
                disposition = CompletableFuture.failedFuture(ex);
            }
            disposition.whenComplete((decided, ex) -> {
                if (ex != null) {
                    LOG.error("Settling a message of group '" + group + "' failed unexpectedly; giving it back", ex);
                    settle.accept(Disposition.giveBack("settling failed unexpectedly: " + ex));
                }
                else {
                    settle.accept(decided);
                }
            });
        });
        handler.run(payload, context, outcome);
    }

    private CompletableFuture<Disposition> apply(HeldMessage message, Delivery delivery, DeliveryContext context,
            Object payload, HandlerRun.Outcome result, Outcomes outcomes) {
        switch (result.kind()) {
            case SUCCEEDED -> {
                counters.succeeded.increment();
                // Acknowledged even with a lost lease: the broker may still hold the message by this handle.
                return CompletableFuture.completedFuture(Disposition.ACKNOWLEDGE);
            }
            case ALREADY_HANDLED -> {
                counters.duplicates.increment();
                outcomes.outcome("duplicate");
                LOG.debug("Attempt " + delivery.attempt() + " of key " + delivery.businessKey() + " was already "
                    + "handled by group '" + group + "'; acknowledged without running the handler again");
                return CompletableFuture.completedFuture(Disposition.ACKNOWLEDGE);
            }
            default -> {
            }
        }
        Throwable failure = result.failure() != null ? result.failure() : new IllegalStateException("no failure");
        outcomes.error(failure);
        if (!message.isLeased()) {
            counters.outcomesDiscarded.increment();
            LOG.warn(handler.invoker().description() + " ended on attempt " + delivery.attempt() + " of key "
                + delivery.businessKey() + " (" + failure + ") after the message's lease was lost; its outcome is not "
                + "applied (no retry, no exhaustion): the broker delivers the message again");
            outcomes.outcome("lease-lost");
            return CompletableFuture.completedFuture(Disposition.FORGET);
        }
        if (result.kind() == HandlerRun.Kind.BROKEN) {
            LOG.error(handler.invoker().description() + " threw " + failure + " on attempt " + delivery.attempt()
                + " of key " + delivery.businessKey() + "; giving the delivery back to the broker, not retrying it as "
                + "the next attempt", failure);
            return CompletableFuture.completedFuture(Disposition.giveBack("the handler threw " + failure));
        }
        return failures.failed(message, delivery, context, payload, failure, outcomes);
    }

    DeliveryContext context(HeldMessage message, Delivery delivery) {
        return new DeliveryContext(delivery.producer(), group, message.view().getTopic(),
            message.view().getTag().orElse(""), message.messageId(), delivery.businessKey(), delivery.attempt(),
            Math.max(0, producer.schedule().maxRetries() - delivery.attempt()), delivery.dueAt(),
            delivery.firstSentAt(), message.deliveryAttempt(), producer.schedule().delays(), message.properties);
    }

    /** For a message whose own properties cannot be read: what can be said of it without them. */
    private DeliveryContext fallbackContext(HeldMessage message) {
        Instant born = Instant.ofEpochMilli(message.view().getBornTimestamp());
        return new DeliveryContext(producer.name(), group, message.view().getTopic(),
            message.view().getTag().orElse(""), message.messageId(), DeliveryReader.messageKey(message.view()), 0, 0,
            born, born, message.deliveryAttempt(), producer.schedule().delays(), message.properties);
    }

    /** The observation's end, as the stages report it. */
    private record Outcomes(OnsListenerContext context, Observation observation)
            implements FailureHandler.ObservedOutcome {

        @Override
        public void outcome(String outcome) {
            context.setOutcome(outcome);
        }

        @Override
        public void error(Throwable error) {
            observation.error(error);
        }

    }

}
