package io.github.onsdelay.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import io.github.onsdelay.benchmarks.peers.Stats;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The retry pipeline, library only (the raw client has no equivalent), at 100 ms timer precision: every handler
 * fails once; the library re-sends each as attempt 1, due 1 s later. Per round, the time from the first send until
 * all have succeeded.
 */
final class RetryBenchmark implements Scenario {

    @Override
    public String name() {
        return "retry";
    }

    @Override
    public void run(Workload workload, EmbeddedServers servers, Report report) throws Exception {
        int messages = workload.retryMessages();
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        Arrival succeeded = new Arrival();
        AtomicLong duplicates = new AtomicLong();
        BenchListener.handler = (payload, context) -> {
            if (failedOnce.add(payload.id())) {
                return false;
            }
            if (!succeeded.arrived(payload.id())) {
                duplicates.incrementAndGet();
            }
            return true;
        };
        try (ConfigurableApplicationContext listener = LibraryApplication.listening(servers.at(100), "bench-retry",
                "bench-retry", false)) {
            DelayProducer lib = listener.getBean("bench-retry", DelayProducer.class);
            List<Double> seconds = new ArrayList<>();
            long lost = 0;
            for (int round = 0; round < workload.rounds(); round++) {
                succeeded.reset(messages);
                long start = System.nanoTime();
                Semaphore inFlight = new Semaphore(512);
                for (int i = 0; i < messages; i++) {
                    inFlight.acquire();
                    String id = "r" + round + "-" + i;
                    lib.sendAsync(DelayMessage.of(Payload.of(id)).withKey(id)).whenComplete((r, ex) -> inFlight.release());
                }
                boolean all = succeeded.await(Duration.ofSeconds(180));
                seconds.add(Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0);
                lost += messages - succeeded.count();
                BenchLog.log("retry round " + round + ": " + (all ? "all" : succeeded.count()) + " succeeded in "
                    + seconds.get(round) + " s, duplicates so far " + duplicates.get());
            }
            report.row(Report.Table.LIBRARY_VS_RAW, String.format(Locale.ROOT, "| Retry pipeline, %d msgs failing "
                + "once, delay 1 s: time until all succeed (s) | %.1f | n/a | |", messages, Stats.median(seconds)));
            report.row(Report.Table.LIBRARY_VS_RAW, String.format(Locale.ROOT, "| Retry pipeline: lost (all rounds) "
                + "/ duplicate handler runs | %d / %d | n/a | |", lost, duplicates.get()));
        }
    }

}
