package io.github.onsdelay.consumer.internal;

import java.time.Duration;
import java.util.function.ToDoubleFunction;

import io.github.onsdelay.consumer.observation.OnsListenerObservation;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The meters of every listener container, under {@code ons.delay.*}, tagged by consumer group
 * ({@code messaging.consumer.group.name}) and producer ({@code ons.delay.producer}):
 * the container's own counts as counters and gauges, and the lateness of each handler start as a timer with
 * a histogram (service-level buckets from 1 ms to 5 s) fit for SLOs. Handler runs and sends are timed by their
 * observations ({@code ons.delay.handler}, {@code ons.delay.send}).
 */
public final class ListenerMeters implements MeterBinder {

    private static final Duration[] LATENESS_SLOS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofSeconds(5)};

    static final String GROUP = OnsListenerObservation.LowCardinalityKeys.GROUP.asString();

    static final String PRODUCER = OnsListenerObservation.LowCardinalityKeys.PRODUCER.asString();

    static final String REASON = "ons.delay.reason";

    private final ListenerContainerRegistry containers;

    public ListenerMeters(ListenerContainerRegistry containers) {
        this.containers = containers;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        containers.onRegistered(container -> bind(registry, container));
    }

    private static void bind(MeterRegistry registry, ListenerContainer container) {
        // The keys of the listener observation's tags, so that a group's meters and timers select alike.
        Tags tags = Tags.of(GROUP, container.getGroup(), PRODUCER, container.getProducer());
        ContainerCounters counters = container.counters();
        counter(registry, "ons.delay.deliveries", "Messages a listener received", tags, counters,
            c -> c.received.sum());
        counter(registry, "ons.delay.retries", "Failed handler runs whose next attempt was sent", tags, counters,
            c -> c.retried.sum());
        counter(registry, "ons.delay.exhausted", "Messages that will not be handled again, by reason",
            tags.and(REASON, "RETRIES_EXHAUSTED"), counters, c -> c.exhausted.sum());
        counter(registry, "ons.delay.exhausted", "Messages that will not be handled again, by reason",
            tags.and(REASON, "POISON"), counters, c -> c.poison.sum());
        counter(registry, "ons.delay.poison", "Messages whose body or properties could not be read", tags, counters,
            c -> c.poison.sum());
        counter(registry, "ons.delay.hops", "Messages due too far ahead to hold, sent on", tags, counters,
            c -> c.hops.sum());
        counter(registry, "ons.delay.early", "Messages that arrived before they were due and were held (without "
            + "the hold, their handler would have run early)", tags, counters, c -> c.heldEarly.sum());
        counter(registry, "ons.delay.given.back", "Deliveries given back to the broker to be delivered again", tags,
            counters, c -> c.givenBack.sum());
        counter(registry, "ons.delay.cancelled", "Deliveries acknowledged without a handler run: their key was "
            + "cancelled", tags, counters, c -> c.filteredBy("cancelled"));
        counter(registry, "ons.delay.duplicates", "Deliveries acknowledged without a handler run: their attempt "
            + "was already handled", tags, counters, c -> c.filteredBy("handled") + c.duplicates.sum());
        counter(registry, "ons.delay.copies.joined", "Copies of a message already held that the broker delivered "
            + "again (a replay after a crash), handled once with it", tags, counters, c -> c.copiesJoined.sum());
        counter(registry, "ons.delay.lease.renewals", "Renewals of a held message's invisibility the broker confirmed",
            tags, counters, c -> c.renewals.sum());
        counter(registry, "ons.delay.lease.renewal.failures", "Renewals of a held message's invisibility that failed "
            + "(each is tried again until the invisibility ends)", tags, counters, c -> c.renewalFailures.sum());
        counter(registry, "ons.delay.lease.lost", "Held messages whose invisibility ended before a renewal took: the "
            + "broker may deliver them to another consumer", tags, counters, c -> c.leasesLost.sum());
        counter(registry, "ons.delay.settlement.failures", "Acknowledgements and give-backs the broker did not "
            + "confirm: those messages are delivered again once their invisibility ends", tags, counters,
            c -> c.settlementFailures.sum());
        counter(registry, "ons.delay.outcomes.discarded", "Handler outcomes not applied because the lease was lost "
            + "meanwhile", tags, counters, c -> c.outcomesDiscarded.sum());
        counter(registry, "ons.delay.handler.timeouts", "Handler runs that did not end within the handler timeout",
            tags, counters, c -> c.timedOut.sum());
        counter(registry, "ons.delay.handed.over", "Held messages sent on as new messages at a stop, for the group's "
            + "other instances", tags, counters, c -> c.handedOver.sum());
        counter(registry, "ons.delay.resent", "Deliveries near the broker's redelivery limit sent again as new "
            + "messages instead of given back", tags, counters, c -> c.resent.sum());
        counter(registry, "ons.delay.over.cap", "Messages given back on arrival because their body did not fit under "
            + "max-held-size", tags, counters, c -> c.overCap.sum());
        String calls = "Calls this listener made to the broker, answered or not, by kind: receive, ack, and "
            + "change-invisible-duration (lease renewals and give-backs)";
        counter(registry, "ons.delay.broker.calls", calls, tags.and("call", "receive"), counters,
            c -> c.receiveCalls.sum());
        counter(registry, "ons.delay.broker.calls", calls, tags.and("call", "ack"), counters, c -> c.ackCalls.sum());
        counter(registry, "ons.delay.broker.calls", calls, tags.and("call", "change-invisible-duration"), counters,
            c -> c.invisibilityCalls.sum());
        Gauge.builder("ons.delay.held", container, c -> c.getFigures().held()).tags(tags)
            .description("Messages held now, waiting for their due time or a free handler").register(registry);
        Gauge.builder("ons.delay.in.flight", container, c -> c.getFigures().inFlight()).tags(tags)
            .description("Handler runs in progress now").register(registry);
        Timer lateness = Timer.builder("ons.delay.lateness").tags(tags)
            .description("How long after its due time each handler started")
            .publishPercentileHistogram().serviceLevelObjectives(LATENESS_SLOS)
            .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1))
            .register(registry);
        counters.onLateness(late -> lateness.record(late.isNegative() ? Duration.ZERO : late));
    }

    private static void counter(MeterRegistry registry, String name, String description, Tags tags,
            ContainerCounters counters, ToDoubleFunction<ContainerCounters> count) {
        FunctionCounter.builder(name, counters, count).tags(tags).description(description).register(registry);
    }

}
