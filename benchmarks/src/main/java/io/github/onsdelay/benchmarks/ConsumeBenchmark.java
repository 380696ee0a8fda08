package io.github.onsdelay.benchmarks;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.onsdelay.benchmarks.peers.Turns;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import org.apache.rocketmq.client.apis.consumer.PushConsumer;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Consuming messages already due, the library's {@code @OnsListener} against the raw client's push consumer at
 * 100 ms timer precision: bursts sent by the raw client, all due at one instant ({@link DueBurst}); one warm-up
 * burst of each side, then the two take turns for the rounds.
 */
final class ConsumeBenchmark implements Scenario {

    @Override
    public String name() {
        return "consume";
    }

    @Override
    public void run(Workload workload, EmbeddedServers servers, Report report) throws Exception {
        EmbeddedRocketMQBroker broker = servers.at(100);
        Arrival libArrival = new Arrival();
        Arrival rawArrival = new Arrival();
        BenchListener.handler = (payload, context) -> {
            libArrival.arrived(payload.id());
            return true;
        };
        try (ConfigurableApplicationContext listener = LibraryApplication.listening(broker, "bench-consume-lib",
                    "bench-consume-lib", false);
                PushConsumer rawConsumer = RawClient.consumer(broker, "bench_consume_raw", "bench-consume-raw",
                    (id, due) -> rawArrival.arrived(id));
                Producer loader = RawClient.producer(broker)) {
            DueBurst.warmUp(loader, "bench_consume_lib", libArrival);
            DueBurst.warmUp(loader, "bench_consume_raw", rawArrival);
            AtomicInteger bursts = new AtomicInteger();
            List<List<Double>> rates = Turns.take(1, workload.rounds(), List.of(
                () -> DueBurst.rate(loader, "bench_consume_lib", libArrival, "c" + bursts.incrementAndGet() + "l",
                    workload.consumeMessages()),
                () -> DueBurst.rate(loader, "bench_consume_raw", rawArrival, "c" + bursts.incrementAndGet() + "r",
                    workload.consumeMessages())));
            report.libraryVsRaw("Consume messages already due, " + workload.consumeMessages() + " per burst (msgs/s)",
                rates.get(0), rates.get(1));
        }
    }

}
