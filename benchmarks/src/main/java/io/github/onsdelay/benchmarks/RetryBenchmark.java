package io.github.onsdelay.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

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
        // Every success of every round: a success of an id already here is a duplicate, whichever round it comes in
        // (a copy of a round's message can arrive after the next round began).
        Set<String> everSucceeded = ConcurrentHashMap.newKeySet();
        AtomicReference<String> roundPrefix = new AtomicReference<>("r0-");
        BenchListener.handler = (payload, context) -> {
            if (failedOnce.add(payload.id())) {
                return false;
            }
            if (everSucceeded.add(payload.id())) {
                if (payload.id().startsWith(roundPrefix.get())) {
                    succeeded.arrived(payload.id());
                }
            }
            else {
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
                roundPrefix.set("r" + round + "-");
                long start = System.nanoTime();
                Semaphore inFlight = new Semaphore(512);
                for (int i = 0; i < messages; i++) {
                    inFlight.acquire();
                    String id = "r" + round + "-" + i;
                    lib.sendAsync(DelayMessage.of(Payload.of(id)).withKey(id)).whenComplete((r, ex) -> inFlight.release());
                }
                inFlight.acquire(512);
                inFlight.release(512);
                double sendSeconds = (System.nanoTime() - start) / 1e9;
                boolean all = succeeded.await(Duration.ofSeconds(180));
                seconds.add(Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0);
                lost += messages - succeeded.count();
                BenchLog.log(String.format(Locale.ROOT, "retry round %d: %s succeeded in %.1f s (the sends answered after "
                    + "%.1f s), duplicates so far %d", round, all ? "all" : String.valueOf(succeeded.count()),
                    seconds.get(round), sendSeconds, duplicates.get()));
            }
            report.row(Report.Table.LIBRARY_VS_RAW, String.format(Locale.ROOT, "| Retry pipeline, %d msgs failing "
                + "once, delay 1 s: time until all succeed (s) | %.1f | n/a | |", messages, Stats.median(seconds)));
            report.row(Report.Table.LIBRARY_VS_RAW, String.format(Locale.ROOT, "| Retry pipeline: lost (all rounds) "
                + "/ duplicate handler runs | %d / %d | n/a | |", lost, duplicates.get()));
        }
    }

}
