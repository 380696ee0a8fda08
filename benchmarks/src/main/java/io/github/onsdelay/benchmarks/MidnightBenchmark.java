package io.github.onsdelay.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.github.onsdelay.benchmarks.AsyncSends.Sender;
import io.github.onsdelay.benchmarks.peers.Stats;
import io.github.onsdelay.consumer.OnsListenerContainer;
import io.github.onsdelay.consumer.OnsListenerRegistry;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.producer.DelayProducer;
import org.apache.rocketmq.client.apis.consumer.PushConsumer;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Midnight: many messages due at one instant (coupon templates that all end at 00:00), sent a minute ahead, on the
 * stock 1000 ms timer precision. Three sides, one after another, each with the server to itself:
 * <ol>
 * <li>the library as README's "a known burst" sets it: the producer's lead long enough for the broker to release
 * the whole burst before its instant ({@link #KNOWN_BURST}), and the listener allowed to hold all of it;</li>
 * <li>the library with its defaults;</li>
 * <li>the raw client's push consumer.</li>
 * </ol>
 * Each side first runs a warm-up burst of 5,000. For each: when the last handler ran after the instant, p50 and p99 lateness, early runs, the most the listener
 * held, and the JVM's heap peak (the server is in the same JVM).
 */
final class MidnightBenchmark implements Scenario {

    /** README's settings for a known burst of up to 100,000 bodies of about 1 KB. */
    static final List<String> KNOWN_BURST = List.of(
        "mqs.ons.producers.bench-midnight-tuned.delivery-lead=30s",
        "mqs.ons.consumer.max-held-messages=120000",
        "mqs.ons.consumer.max-held-size=256MB",
        "mqs.ons.consumer.invisible-duration=60s");

    /** Bodies of the warm-up burst before each side's burst. */
    private static final int WARM_UP = 5_000;

    /** How far ahead of its instant the warm-up burst is sent. */
    private static final Duration WARM_UP_AHEAD = Duration.ofSeconds(5);

    /** How far ahead of the instant the burst's first message is sent. */
    private static final Duration AHEAD = Duration.ofMinutes(1);

    @Override
    public String name() {
        return "midnight";
    }

    @Override
    public void run(Workload workload, EmbeddedServers servers, Report report) throws Exception {
        EmbeddedRocketMQBroker broker = servers.at(1000);
        int messages = workload.burstMessages();
        report.caption(Report.Table.MIDNIGHT, String.format(Locale.ROOT, "%,d bodies of 1 KB due at one instant, sent "
            + "from a minute ahead, timer precision 1000 ms; lateness = handler start - the instant (ms)", messages));
        library(broker, messages, "bench-midnight-tuned", "bench-midnight-tuned", KNOWN_BURST,
            "library, known-burst settings (lead 30 s, holds 120,000 / 256 MB, invisible 60 s)", report);
        library(broker, messages, "bench-midnight", "bench-midnight-lib", List.of(), "library, defaults", report);
        raw(broker, messages, report);
    }

    private static void library(EmbeddedRocketMQBroker broker, int messages, String producerName, String group,
            List<String> properties, String side, Report report) throws Exception {
        LatenessRecorder lateness = new LatenessRecorder();
        BenchListener.handler = (payload, context) -> {
            lateness.record(System.currentTimeMillis() - context.dueAt().toEpochMilli());
            return true;
        };
        try (ConfigurableApplicationContext application = LibraryApplication.listening(broker, producerName, group,
                false, properties)) {
            DelayProducer producer = application.getBean(producerName, DelayProducer.class);
            OnsListenerContainer container = application.getBean(OnsListenerRegistry.class).getListenerContainer(group);
            Sender send = (id, due) -> producer.deliverAtAsync(Payload.of(id), Instant.ofEpochMilli(due));
            HeapSampler heap = burst(send, lateness, messages);
            row(report, side, lateness.sorted(), String.valueOf(container.getFigures().peakHeld()), heap.peakMb());
        }
    }

    private static void raw(EmbeddedRocketMQBroker broker, int messages, Report report) throws Exception {
        LatenessRecorder lateness = new LatenessRecorder();
        try (PushConsumer consumer = RawClient.consumer(broker, "bench_midnight_raw", "bench-midnight-raw",
                (id, due) -> lateness.record(System.currentTimeMillis() - due));
                Producer producer = RawClient.producer(broker)) {
            Sender send = (id, due) -> producer.sendAsync(RawClient.message("bench_midnight_raw", id, due));
            HeapSampler heap = burst(send, lateness, messages);
            row(report, "raw client, push consumer (20 threads)", lateness.sorted(), "n/a", heap.peakMb());
        }
    }

    /**
     * A warm-up burst of {@link #WARM_UP} due a few seconds ahead (the code a burst runs, compiled before it is
     * timed: the JIT took a sixth of the machine in a cold midnight), then the burst itself, due {@link #AHEAD} after
     * its first send; both awaited. The heap is sampled from the burst's first send to its last handler.
     */
    private static HeapSampler burst(Sender send, LatenessRecorder lateness, int messages) throws Exception {
        lateness.reset(WARM_UP);
        sendAll(send, "w", WARM_UP, System.currentTimeMillis() + WARM_UP_AHEAD.toMillis());
        lateness.await(Duration.ofSeconds(120));
        lateness.reset(messages);
        HeapSampler heap = new HeapSampler();
        heap.start();
        long due = System.currentTimeMillis() + AHEAD.toMillis();
        sendAll(send, "m", messages, due);
        loaded(due);
        lateness.await(Duration.ofSeconds(300));
        heap.stop();
        return heap;
    }

    private static void sendAll(Sender send, String prefix, int messages, long due) throws Exception {
        AsyncSends.send(send, prefix, messages, Duration.ZERO, sentAt -> due);
    }

    private static void loaded(long due) {
        long ahead = due - System.currentTimeMillis();
        BenchLog.log("midnight: burst loaded " + ahead + " ms before its instant");
        if (ahead < 30_000) {
            BenchLog.log("warning: the burst was loaded less than the known-burst lead before its instant");
        }
    }

    private static void row(Report report, String side, long[] sorted, String peakHeld, long heapMb) {
        report.row(Report.Table.MIDNIGHT, String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %s | %d |", side,
            Stats.percentile(sorted, 100), Stats.percentile(sorted, 50), Stats.percentile(sorted, 99),
            LatenessRecorder.early(sorted), sorted.length, peakHeld, heapMb));
    }

}
