package io.github.onsdelay.jdbc.internal;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

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
        Set<String> registered = ConcurrentHashMap.newKeySet();
        Consumer<String> register = producer -> {
            if (registered.add(producer)) {
                register(registry, producer);
            }
        };
        producers.forEach(register);
        relay.parkedCounts().keySet().forEach(register);
        relay.onParked(register);
    }

    private void register(MeterRegistry registry, String producer) {
        LongAdder count = relay.parkedCounts().computeIfAbsent(producer, name -> new LongAdder());
        FunctionCounter.builder("ons.delay.outbox.parked", count, LongAdder::sum).tag(PRODUCER, producer)
            .description("Outbox rows parked after the broker refused them mqs.ons.jdbc.relay-max-attempts times")
            .register(registry);
    }

}
