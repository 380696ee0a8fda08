package io.github.onsdelay.consumer.internal;

import java.util.ArrayList;
import java.util.List;

import io.github.onsdelay.consumer.DeliveryJournal;
import io.github.onsdelay.consumer.OnsDeliveryFilter;
import io.github.onsdelay.consumer.OnsListenerContainerFactory;
import io.github.onsdelay.consumer.OnsRetryPolicy;
import io.github.onsdelay.consumer.observation.OnsListenerObservationConvention;
import io.github.onsdelay.core.PayloadConverter;
import io.github.onsdelay.core.TimedMessageSender;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Builds the container of one listener from its endpoint and its {@link OnsListenerContainerFactory}: the
 * stages a message goes through (hold, filters, handler run, failure handling with the retry policy, recoverers,
 * settlement), each given what it needs and nothing more.
 */
final class ContainerAssembler {

    private final Infrastructure infrastructure;

    /**
     * What every container shares.
     *
     * @param registry owns the containers, the due timer and the housekeeping thread
     * @param sender sends retries, hops, hand-overs and dead letters
     * @param converter reads payloads
     * @param consumers builds each container's rocketmq-client-java consumer
     * @param observations where handler runs are observed
     * @param convention names and tags handler observations; the default when null
     * @param events where retries and exhaustions are kept for operators
     * @param journal the journal of deliveries, for idempotent listeners; null without one
     */
    record Infrastructure(ListenerContainerRegistry registry, TimedMessageSender sender, PayloadConverter converter,
            ListenerContainer.ConsumerBuilders consumers, ObservationRegistry observations,
            @Nullable OnsListenerObservationConvention convention, RecentListenerEvents events,
            @Nullable DeliveryJournal journal) {
    }

    ContainerAssembler(Infrastructure infrastructure) {
        this.infrastructure = infrastructure;
    }

    ListenerContainer assemble(ListenerEndpoint endpoint, OnsListenerContainerFactory factory) {
        ContainerSettings settings = ContainerSettings.of(endpoint, factory);
        ListenerContainerRegistry registry = infrastructure.registry();
        ContainerCounters counters = new ContainerCounters();
        HandlerDispatcher dispatcher = new HandlerDispatcher("ons-delay-" + settings.id(), settings.concurrency());
        DeliveryJournal journal = endpoint.idempotent() ? infrastructure.journal() : null;
        List<OnsDeliveryFilter> filters = new ArrayList<>(factory.getFilters());
        if (journal != null) {
            filters.add(OnsDeliveryFilter.handledAttempts(journal));
        }
        FilterChain chain = new FilterChain(filters, counters);
        // Before the container starts: its first message is not the one that pays for building the payload's reader.
        infrastructure.converter().prepare(endpoint.invoker().payloadType());
        MessageResender resender = new MessageResender(infrastructure.sender(), settings.producer(), settings.group());
        HandlerRun run = new HandlerRun(endpoint.invoker(), journal, settings.handlerTimeout(), registry.housekeeping(),
            dispatcher.threads(), counters);
        OnsRetryPolicy policy = factory.getRetryPolicy() != null ? factory.getRetryPolicy()
            : OnsRetryPolicy.producerDelays();
        FailureHandler failures = new FailureHandler(settings.group(), policy, resender,
            new Recoverers(factory.getRecoverers(), endpoint.exhaustionHandler()), counters, infrastructure.events());
        DeliveryHandler handler = new DeliveryHandler(settings.group(), settings.producer(),
            infrastructure.sender().clock(), infrastructure.converter(), chain, run, failures, counters,
            new DeliveryHandler.Observations(infrastructure.observations(), infrastructure.convention()));
        HopSender hops = new HopSender(settings.group(), resender, chain, handler, counters,
            infrastructure.observations());
        return new ListenerContainer(settings, endpoint.invoker().description(), infrastructure.consumers(),
            new ConsumerSession.Parts(handler, hops, resender, dispatcher, registry.timer(), registry.housekeeping(),
                counters, infrastructure.sender().hopHorizon()));
    }

}
