package io.github.onsdelay.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;

import io.github.onsdelay.benchmarks.peers.Stats;
import io.github.onsdelay.consumer.OnsListenerContainer;
import io.github.onsdelay.consumer.OnsListenerRegistry;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.producer.DelayProducer;
import org.apache.rocketmq.client.apis.producer.Producer;

/**
 * Many messages due at one instant, sent ahead of time at 100 ms timer precision, library and raw interleaved: how
 * long after that instant the last handler ran, how late they ran, and what the library held meanwhile. One round:
 * it is the broker's timer that is measured as much as the consumers.
 */
final class BurstBenchmark implements Scenario {

    @Override
    public String name() {
        return "burst";
    }

    @Override
    public void run(Workload workload, EmbeddedServers servers, Report report) throws Exception {
        EmbeddedRocketMQBroker broker = servers.at(100);
        int messages = workload.burstMessages();
        HeapSampler heap = new HeapSampler();
        try (LatenessSides sides = new LatenessSides(broker, "bench-burst", "bench-burst-lib", "bench_burst_raw",
                "bench-burst-raw")) {
            DelayProducer producer = sides.library().getBean("bench-burst", DelayProducer.class);
            OnsListenerContainer container = sides.library().getBean(OnsListenerRegistry.class)
                .getListenerContainer("bench-burst-lib");
            Producer raw = sides.rawProducer();
            LatenessRecorder libLateness = sides.libraryLateness();
            LatenessRecorder rawLateness = sides.rawLateness();
            libLateness.reset(messages);
            rawLateness.reset(messages);
            long due = System.currentTimeMillis() + 20_000 + messages / 10;
            Semaphore inFlight = new Semaphore(512);
            for (int i = 0; i < messages; i++) {
                inFlight.acquire();
                producer.deliverAtAsync(Payload.of("bl" + i), Instant.ofEpochMilli(due))
                    .whenComplete((r, ex) -> inFlight.release());
                inFlight.acquire();
                raw.sendAsync(RawClient.message("bench_burst_raw", "br" + i, due)).whenComplete((r, ex) -> inFlight.release());
            }
            inFlight.acquire(512);
            if (System.currentTimeMillis() > due) {
                BenchLog.log("warning: loading the burst took past its due time");
            }
            heap.start();
            libLateness.await(Duration.ofSeconds(300));
            rawLateness.await(Duration.ofSeconds(300));
            heap.stop();
            long[] lib = libLateness.sorted();
            long[] rawSorted = rawLateness.sorted();
            BenchLog.log("burst of " + messages + ": library " + LatenessRecorder.describe(lib) + "; raw "
                + LatenessRecorder.describe(rawSorted) + "; library peak held " + container.getFigures().peakHeld()
                + ", heap peak " + heap.peakMb() + " MB");
            report.libraryVsRaw("Burst of " + messages + " due at one instant: last handler ran after it (ms)",
                List.of((double) Stats.percentile(lib, 100)), List.of((double) Stats.percentile(rawSorted, 100)));
            report.libraryVsRaw("Burst of " + messages + ": p99 lateness (ms)", List.of((double) Stats.percentile(lib, 99)),
                List.of((double) Stats.percentile(rawSorted, 99)));
            report.libraryVsRaw("Burst of " + messages + ": messages handled (early: never)",
                List.of((double) lib.length), List.of((double) rawSorted.length));
            report.row(Report.Table.LIBRARY_VS_RAW, String.format(Locale.ROOT, "| Burst of %d: library peak held "
                + "messages / JVM heap peak (MB, server in the same JVM) | %d / %d | n/a | |", messages,
                container.getFigures().peakHeld(), heap.peakMb()));
        }
    }

}
