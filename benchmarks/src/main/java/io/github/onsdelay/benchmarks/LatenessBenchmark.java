package io.github.onsdelay.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.github.onsdelay.benchmarks.peers.Stats;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.producer.DelayProducer;
import org.apache.rocketmq.client.apis.producer.Producer;

/**
 * Lateness at one timer precision: in each round, library and raw messages interleaved, sent over the spread with
 * delays uniform in 2-10 s (seeded), so both sides see the same load; lateness = handler start - due time. With
 * {@code busy}, a {@link CoreSpinner} keeps one of the machine's cores busy while the rounds run (the server, the
 * library and the raw side share what is left).
 */
final class LatenessBenchmark implements Scenario {

    private final long precisionMs;

    private final boolean busy;

    LatenessBenchmark(long precisionMs, boolean busy) {
        this.precisionMs = precisionMs;
        this.busy = busy;
    }

    @Override
    public String name() {
        return "lateness-" + precisionMs + "ms" + (busy ? "-busy" : "");
    }

    @Override
    public void run(Workload workload, EmbeddedServers servers, Report report) throws Exception {
        EmbeddedRocketMQBroker broker = servers.at(precisionMs);
        String precision = precisionMs + " ms precision" + (busy ? " with the other core busy" : "");
        int messages = workload.latenessMessages();
        try (LatenessSides sides = new LatenessSides(broker, "bench-lateness", "bench-lateness-lib",
                "bench_lateness_raw", "bench-lateness-raw");
                AutoCloseable spinner = busy ? CoreSpinner.start() : () -> { }) {
            DelayProducer lib = sides.library().getBean("bench-lateness", DelayProducer.class);
            Producer raw = sides.rawProducer();
            LatenessRecorder libLateness = sides.libraryLateness();
            LatenessRecorder rawLateness = sides.rawLateness();
            Random random = new Random(7);
            List<long[]> libRounds = new ArrayList<>();
            List<long[]> rawRounds = new ArrayList<>();
            for (int round = 0; round < workload.rounds(); round++) {
                libLateness.reset(messages);
                rawLateness.reset(messages);
                long start = System.nanoTime();
                long stepNanos = workload.latenessSpread().toNanos() / messages;
                for (int i = 0; i < messages; i++) {
                    long wait = start + i * stepNanos - System.nanoTime();
                    if (wait > 1_000_000) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    String id = "l" + round + "-" + i;
                    long libDue = System.currentTimeMillis() + 2_000 + random.nextInt(8_000);
                    lib.deliverAtAsync(Payload.of(id), Instant.ofEpochMilli(libDue));
                    long rawDue = System.currentTimeMillis() + 2_000 + random.nextInt(8_000);
                    raw.sendAsync(RawClient.message("bench_lateness_raw", id, rawDue));
                }
                libLateness.await(Duration.ofSeconds(60));
                rawLateness.await(Duration.ofSeconds(60));
                libRounds.add(libLateness.sorted());
                rawRounds.add(rawLateness.sorted());
                BenchLog.log("lateness round " + round + " at " + precision + ": library "
                    + LatenessRecorder.describe(libRounds.get(round)) + "; raw "
                    + LatenessRecorder.describe(rawRounds.get(round)));
            }
            for (String label : List.of("p50", "p90", "p99", "max")) {
                double p = switch (label) {
                    case "p50" -> 50;
                    case "p90" -> 90;
                    case "p99" -> 99;
                    default -> 100;
                };
                row(report, "Lateness " + label + " at " + precision + ", " + messages
                    + " msgs, delays 2-10 s (ms)", libRounds, rawRounds, sorted -> Stats.percentile(sorted, p));
            }
            row(report, "Early deliveries at " + precision + " (handler ran before due)", libRounds,
                rawRounds, LatenessRecorder::early);
            row(report, "Messages received at " + precision + " (of " + messages + ")", libRounds, rawRounds,
                sorted -> sorted.length);
        }
    }

    /** A row of one figure of every round's sorted values, each side's median. */
    private static void row(Report report, String scenario, List<long[]> libRounds, List<long[]> rawRounds,
            ToDoubleFunction<long[]> figure) {
        report.libraryVsRaw(scenario, libRounds.stream().map(figure::applyAsDouble).toList(),
            rawRounds.stream().map(figure::applyAsDouble).toList());
    }

}
