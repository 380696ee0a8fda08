package io.github.onsdelay.producer.autoconfigure;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.onsdelay.core.TimedMessageSender;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.producer.OnsProducerRegistry;
import io.github.onsdelay.producer.ProducerSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * At start-up, before the application reports started, fetches the route of every producer's topic, so that the
 * first message sent after the start is not later than the ones after it (the client would otherwise fetch the
 * route, and sync its settings with the server, inside that first send). It waits at most the longest send timeout
 * of the producers and never fails the start: a topic whose route was not fetched (it does not exist yet, the
 * server is unreachable) is named in a WARN, and its first send fetches it, as it would have anyway.
 */
final class ProducerRoutePrefetch implements SmartLifecycle {

    private static final Log LOG = LogFactory.getLog(ProducerRoutePrefetch.class);

    private final OnsProducerRegistry registry;

    private final TimedMessageSender sender;

    private volatile boolean running;

    ProducerRoutePrefetch(OnsProducerRegistry registry, TimedMessageSender sender) {
        this.registry = registry;
        this.sender = sender;
    }

    @Override
    public void start() {
        running = true;
        Map<String, Set<String>> producersByTopic = new LinkedHashMap<>();
        for (DelayProducer producer : registry.getProducers()) {
            ProducerSettings settings = producer.getSettings();
            producersByTopic.computeIfAbsent(settings.topic(), topic -> new LinkedHashSet<>()).add(settings.name());
        }
        if (producersByTopic.isEmpty()) {
            return;
        }
        Duration timeout = registry.getProducers().stream().map(producer -> producer.getSettings().sendTimeout())
            .max(Comparator.naturalOrder()).orElseThrow();
        long started = System.nanoTime();
        Set<String> fetched = sender.fetchRoutes(producersByTopic.keySet(), timeout);
        if (fetched == null) {
            return;
        }
        long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        Map<String, Set<String>> missing = new LinkedHashMap<>(producersByTopic);
        missing.keySet().removeAll(fetched);
        if (!fetched.isEmpty()) {
            LOG.info("Fetched the route of " + fetched.size() + " producer topic(s) in " + tookMs + " ms: " + fetched);
        }
        if (missing.isEmpty()) {
            return;
        }
        String named = missing.entrySet().stream()
            .map(topic -> "'" + topic.getKey() + "' (producer " + String.join(", ", topic.getValue()) + ")")
            .collect(Collectors.joining(", "));
        if (!fetched.isEmpty()) {
            LOG.warn("No route for topic " + named + " at start-up, within " + tookMs + " ms: check that the "
                + "topic exists on the server; until it does, sends to it fail");
        }
        else {
            LOG.warn("No route for any producer topic at start-up, within " + tookMs + " ms: " + named + "; the "
                + "server may be unreachable, or the topics missing. Each first send tries again");
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the default phase, where the outbox's start-up pass and the listeners start. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 1;
    }

}
