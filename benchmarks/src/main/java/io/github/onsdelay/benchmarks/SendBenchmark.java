package io.github.onsdelay.benchmarks;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.github.onsdelay.benchmarks.peers.Throughput;
import io.github.onsdelay.benchmarks.peers.Turns;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Sends, the library against the raw client at 100 ms timer precision: sync from 1 and 4 threads, async with at most
 * 512 in flight, and async again against a raw client carrying the five properties every ons-delay message carries.
 * One warm-up window of each side, then the two take turns for the rounds.
 */
final class SendBenchmark implements Scenario {

    private static final int IN_FLIGHT = 512;

    @Override
    public String name() {
        return "send";
    }

    @Override
    public void run(Workload workload, EmbeddedServers servers, Report report) throws Exception {
        EmbeddedRocketMQBroker broker = servers.at(100);
        try (ConfigurableApplicationContext senders = LibraryApplication.sending(broker, false);
                Producer raw = RawClient.producer(broker)) {
            DelayProducer lib = senders.getBean("bench-send", DelayProducer.class);
            sync(lib, raw, 1, workload, report);
            sync(lib, raw, 4, workload, report);
            async(lib, raw, workload, report);
        }
    }

    private static void sync(DelayProducer lib, Producer raw, int threads, Workload workload, Report report)
            throws Exception {
        AtomicLong ids = new AtomicLong();
        Throughput.Operation libSend = () -> {
            String id = "s" + ids.incrementAndGet();
            lib.send(DelayMessage.of(Payload.of(id)).withKey(id));
        };
        Throughput.Operation rawSend = () -> {
            String id = "s" + ids.incrementAndGet();
            raw.send(RawClient.message("bench_send", id, System.currentTimeMillis()));
        };
        List<List<Double>> rates = Turns.take(1, workload.rounds(), List.of(
            () -> Throughput.measure(libSend, threads, workload.window()).rate(),
            () -> Throughput.measure(rawSend, threads, workload.window()).rate()));
        report.libraryVsRaw("Sync send, 1 KB JSON, " + threads + " thread(s) (msgs/s)", rates.get(0), rates.get(1));
    }

    private static void async(DelayProducer lib, Producer raw, Workload workload, Report report) throws Exception {
        AtomicLong ids = new AtomicLong();
        Throughput.AsyncOperation libSend = done -> {
            String id = "a" + ids.incrementAndGet();
            lib.sendAsync(DelayMessage.of(Payload.of(id)).withKey(id))
                .whenComplete((result, ex) -> done.accept(ex == null ? 1 : 0));
        };
        Throughput.AsyncOperation rawSend = done -> {
            String id = "a" + ids.incrementAndGet();
            raw.sendAsync(RawClient.message("bench_send", id, System.currentTimeMillis()))
                .whenComplete((receipt, ex) -> done.accept(ex == null ? 1 : 0));
        };
        List<List<Double>> rates = Turns.take(1, workload.rounds(),
            List.of(async(libSend, workload), async(rawSend, workload)));
        report.libraryVsRaw("Async send, 1 KB JSON, at most 512 in flight (msgs/s)", rates.get(0), rates.get(1));

        // The same raw send carrying the five properties every ons-delay message carries: what is left of
        // the gap above is the library's own cost, the rest is the properties' cost in client and server.
        Throughput.AsyncOperation rawWithProperties = done -> {
            String id = "a" + ids.incrementAndGet();
            long now = System.currentTimeMillis();
            raw.sendAsync(RawClient.messageBuilder("bench_send", id, now)
                    .addProperty("ons_delay_attempt", "0").addProperty("ons_delay_due_at", Long.toString(now))
                    .addProperty("ons_delay_first_sent_at", Long.toString(now))
                    .addProperty("ons_delay_producer", "bench-send").addProperty("ons_delay_business_key", id)
                    .build())
                .whenComplete((receipt, ex) -> done.accept(ex == null ? 1 : 0));
        };
        // Only the new side warms up: the library's is warm from the row above.
        async(rawWithProperties, workload).measure();
        rates = Turns.take(0, workload.rounds(), List.of(async(libSend, workload), async(rawWithProperties, workload)));
        report.libraryVsRaw("Async send, raw client carrying the same 5 properties (msgs/s)", rates.get(0), rates.get(1));
    }

    private static Turns.Side<Double> async(Throughput.AsyncOperation send, Workload workload) {
        return () -> Throughput.measureAsync(send, IN_FLIGHT, workload.window());
    }

}
