package io.github.onsdelay.producer;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Every producer of the application by name, each built once from its settings: the yml-declared producer
 * beans and the producers behind {@link AbstractProducer} subclasses are the ones held here. Consumers
 * look up the producer whose messages they handle here.
 */
public final class OnsProducerRegistry {

    private final Map<String, DelayProducer> producers;

    public OnsProducerRegistry(Collection<? extends DelayProducer> producers) {
        Map<String, DelayProducer> byName = new LinkedHashMap<>();
        for (DelayProducer producer : producers) {
            if (byName.putIfAbsent(producer.getName(), producer) != null) {
                throw new IllegalArgumentException("Two producers are named '" + producer.getName() + "'");
            }
        }
        this.producers = Map.copyOf(byName);
    }

    /**
     * The producer of this name.
     * @throws IllegalArgumentException when there is none, naming the producers there are
     */
    public DelayProducer getProducer(String name) {
        DelayProducer producer = this.producers.get(name);
        if (producer == null) {
            throw new IllegalArgumentException("No producer named '" + name + "'; producers: "
                + (this.producers.isEmpty() ? "none" : String.join(", ", getProducerNames()))
                + " (declare it under mqs.ons.producers)");
        }
        return producer;
    }

    /** The producer of this name, or null when there is none. */
    public @Nullable DelayProducer findProducer(String name) {
        return this.producers.get(name);
    }

    public Set<String> getProducerNames() {
        return new java.util.TreeSet<>(this.producers.keySet());
    }

    public Collection<DelayProducer> getProducers() {
        return this.producers.values();
    }

}
