package io.github.onsdelay.jdbc.internal;

import java.util.Collection;
import java.util.concurrent.atomic.LongAdder;

import io.github.onsdelay.core.observation.OnsSendObservation;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The outbox's meters: {@code ons.delay.outbox.parked}, the rows this application's relay parked, tagged by
 * producer ({@code ons.delay.producer}, as the send observation): one per declared producer from the start,
 * and one for any other producer name the moment one of its rows is parked.
 */
public final class OutboxMeters implements MeterBinder {

    static final String PRODUCER = OnsSendObservation.LowCardinalityKeys.PRODUCER.asString();

    private final OutboxRelay relay;

    private final Collection<String> producers;

    public OutboxMeters(OutboxRelay relay, Collection<String> producers) {
        this.relay = relay;
        this.producers = producers;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        producers.forEach(producer -> register(registry, producer));
        relay.parkedCounts().keySet().forEach(producer -> register(registry, producer));
        relay.onParked(producer -> register(registry, producer));
    }

    private void register(MeterRegistry registry, String producer) {
        // Registering an existing meter again returns it: safe on every parked row.
        LongAdder count = relay.parkedCounts().computeIfAbsent(producer, name -> new LongAdder());
        FunctionCounter.builder("ons.delay.outbox.parked", count, LongAdder::sum).tag(PRODUCER, producer)
            .description("Outbox rows parked after the broker refused them mqs.ons.jdbc.relay-max-attempts times")
            .register(registry);
    }

}
