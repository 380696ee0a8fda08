package io.github.onsdelay.core;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@link SendFigures} of every producer, counted as the application's sends complete. A message addressed
 * to a consumer group is a listener's retry or hop, counted by the listener: it is left out.
 */
final class SendCounters {

    private final ConcurrentMap<String, Counts> byProducer = new ConcurrentHashMap<>();

    void accepted(TimedMessage message, boolean hop) {
        if (message.targetGroup() == null) {
            Counts counts = counts(message.producer());
            counts.sent.increment();
            if (hop) {
                counts.hops.increment();
            }
        }
    }

    void failed(TimedMessage message) {
        if (message.targetGroup() == null) {
            counts(message.producer()).failed.increment();
        }
    }

    Map<String, SendFigures> snapshot() {
        Map<String, SendFigures> figures = new TreeMap<>();
        byProducer.forEach((producer, counts) -> figures.put(producer,
            new SendFigures(counts.sent.sum(), counts.hops.sum(), counts.failed.sum())));
        return figures;
    }

    private Counts counts(String producer) {
        return byProducer.computeIfAbsent(producer, name -> new Counts());
    }

    private static final class Counts {

        final LongAdder sent = new LongAdder();

        final LongAdder hops = new LongAdder();

        final LongAdder failed = new LongAdder();

    }

}
