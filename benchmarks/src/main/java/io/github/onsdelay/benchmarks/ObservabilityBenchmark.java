package io.github.onsdelay.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.onsdelay.benchmarks.peers.Throughput;
import io.github.onsdelay.benchmarks.peers.Turns;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The library with meters and observations on against the library with them off, on the same server at 100 ms timer
 * precision, and a second application with them off as the control: its ratio to the first is the measurement's own
 * noise. Sync sends from 1 and 4 threads in half windows and consume bursts, the three applications taking turns
 * in rotating order; then {@link ObservationCostBenchmark}'s row, the per-message cost measured alone.
 */
final class ObservabilityBenchmark implements Scenario {

    @Override
    public String name() {
        return "observability";
    }

    @Override
    public void run(Workload workload, EmbeddedServers servers, Report report) throws Exception {
        EmbeddedRocketMQBroker broker = servers.at(100);
        sends(broker, workload, report);
        consume(broker, workload, report);
        new ObservationCostBenchmark().run(workload, servers, report);
    }

    private static void sends(EmbeddedRocketMQBroker broker, Workload workload, Report report) throws Exception {
        try (ConfigurableApplicationContext observed = LibraryApplication.sending(broker, true);
                ConfigurableApplicationContext plain = LibraryApplication.sending(broker, false);
                ConfigurableApplicationContext control = LibraryApplication.sending(broker, false)) {
            BenchLog.log("Meter registries: observed application " + meterRegistries(observed) + ", plain application "
                + meterRegistries(plain));
            AtomicLong ids = new AtomicLong();
            List<Throughput.Operation> senders = new ArrayList<>();
            for (ConfigurableApplicationContext context : List.of(observed, plain, control)) {
                DelayProducer producer = context.getBean("bench-send", DelayProducer.class);
                senders.add(() -> {
                    String id = "o" + ids.incrementAndGet();
                    producer.send(DelayMessage.of(Payload.of(id)).withKey(id));
                });
            }
            Duration slice = workload.window().dividedBy(2);
            for (int threads : new int[] {1, 4}) {
                List<Turns.Side<Double>> sides = new ArrayList<>();
                for (Throughput.Operation sender : senders) {
                    int senderThreads = threads;
                    sides.add(() -> Throughput.measure(sender, senderThreads, slice).rate());
                }
                report.overhead("Sync send, 1 KB JSON, " + threads + " thread(s) (msgs/s)",
                    Turns.take(3, workload.overheadRounds(), sides));
            }
        }
    }

    private static void consume(EmbeddedRocketMQBroker broker, Workload workload, Report report) throws Exception {
        // Each application's ids start with its letter: a (observed), b (plain), c (control).
        List<Arrival> arrivals = List.of(new Arrival(), new Arrival(), new Arrival());
        BenchListener.handler = (payload, context) -> {
            arrivals.get(payload.id().charAt(0) - 'a').arrived(payload.id());
            return true;
        };
        List<String> topics = List.of("bench_consume_obs", "bench_consume_lib", "bench_consume_ctl");
        try (ConfigurableApplicationContext observed = LibraryApplication.listening(broker, "bench-consume-obs",
                    "bench-consume-obs", true);
                ConfigurableApplicationContext plain = LibraryApplication.listening(broker, "bench-consume-lib",
                    "bench-consume-lib", false);
                ConfigurableApplicationContext control = LibraryApplication.listening(broker, "bench-consume-ctl",
                    "bench-consume-ctl", false);
                Producer loader = RawClient.producer(broker)) {
            AtomicInteger bursts = new AtomicInteger();
            List<Turns.Side<Double>> sides = new ArrayList<>();
            for (int app = 0; app < 3; app++) {
                int index = app;
                sides.add(() -> DueBurst.rate(loader, topics.get(index), arrivals.get(index),
                    (char) ('a' + index) + "" + bursts.incrementAndGet() + "-", workload.consumeMessages()));
            }
            report.overhead("Consume messages already due, " + workload.consumeMessages() + " per burst (msgs/s)",
                Turns.take(1, workload.rounds(), sides));
        }
    }

    private static List<String> meterRegistries(ConfigurableApplicationContext context) {
        return context.getBeanProvider(MeterRegistry.class).stream()
            .map(registry -> registry.getClass().getSimpleName()).toList();
    }

}
