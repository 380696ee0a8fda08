package io.github.onsdelay.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

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
 * Flash sale: orders placed at a steady 10,000/s for 10 s, each cancelled a fixed time after it was placed (30
 * minutes in production, {@link Workload#flashSaleDelay()} here), on the stock 1000 ms timer precision. Two sides,
 * one after the other, each with the server to itself: the library with its defaults, and the raw client's push
 * consumer. Orders are sent asynchronously (at most 512 in flight), paced to the rate; an order whose send falls
 * behind its pace is sent at once and its due time still counts from its own send.
 * <p>
 * Each side first runs a warm-up sale of 5,000 over 1 s due 5 s later. For each: p50, p99 and max lateness (handler
 * start - due time, ms), early runs, handled, lost (orders never handled: failed sends included), orders run
 * twice, how long the sends took, the most the listener held and the JVM's heap peak (the server is in the same JVM).
 */
final class FlashSaleBenchmark implements Scenario {

    /** How long the sale's orders are placed for. */
    private static final Duration SALE = Duration.ofSeconds(10);

    private static final int WARM_UP = 5_000;

    @Override
    public String name() {
        return "flash-sale";
    }

    @Override
    public void run(Workload workload, EmbeddedServers servers, Report report) throws Exception {
        EmbeddedRocketMQBroker broker = servers.at(1000);
        int orders = workload.burstMessages();
        Duration delay = workload.flashSaleDelay();
        report.caption(Report.Table.FLASH_SALE, String.format(Locale.ROOT, "%,d orders of 1 KB placed over %d s, each "
            + "due %d s after its send, timer precision 1000 ms; lateness = handler start - due time (ms)", orders,
            SALE.toSeconds(), delay.toSeconds()));
        Orders handled = new Orders();
        BenchListener.handler = (payload, context) -> {
            handled.record(payload.id(), System.currentTimeMillis() - context.dueAt().toEpochMilli());
            return true;
        };
        try (ConfigurableApplicationContext application = LibraryApplication.listening(broker, "bench-flash",
                "bench-flash-lib", false)) {
            DelayProducer producer = application.getBean("bench-flash", DelayProducer.class);
            OnsListenerContainer container = application.getBean(OnsListenerRegistry.class)
                .getListenerContainer("bench-flash-lib");
            sale((id, due) -> producer.deliverAtAsync(Payload.of(id), Instant.ofEpochMilli(due)), handled, orders,
                delay, "library, defaults", () -> String.valueOf(container.getFigures().peakHeld()), report);
        }
        Orders rawHandled = new Orders();
        try (PushConsumer consumer = RawClient.consumer(broker, "bench_flash_raw", "bench-flash-raw",
                (id, due) -> rawHandled.record(id, System.currentTimeMillis() - due));
                Producer producer = RawClient.producer(broker)) {
            sale((id, due) -> producer.sendAsync(RawClient.message("bench_flash_raw", id, due)), rawHandled, orders,
                delay, "raw client, push consumer (20 threads)", () -> "n/a", report);
        }
    }

    /** {@code orders} sent evenly over {@code over}, each due {@code delay} after its own send; returns the failed. */
    private static int place(Sender send, String prefix, int orders, Duration over, Duration delay)
            throws InterruptedException {
        return AsyncSends.send(send, prefix, orders, over, sentAt -> sentAt + delay.toMillis());
    }

    private static void sale(Sender send, Orders handled, int orders, Duration delay, String side,
            Supplier<String> peakHeld, Report report) throws Exception {
        handled.reset("w", WARM_UP);
        place(send, "w", WARM_UP, Duration.ofSeconds(1), Duration.ofSeconds(5));
        handled.await(Duration.ofSeconds(120));
        handled.reset("f", orders);
        HeapSampler heap = new HeapSampler();
        heap.start();
        long started = System.nanoTime();
        int failed = place(send, "f", orders, SALE, delay);
        double sendSeconds = (System.nanoTime() - started) / 1e9;
        handled.await(delay.plus(Duration.ofSeconds(120)));
        heap.stop();
        long[] sorted = handled.lateness.sorted();
        int distinct = handled.distinct();
        BenchLog.log("flash sale, " + side + ": " + LatenessRecorder.describe(sorted) + ", " + failed + " sends failed");
        report.row(Report.Table.FLASH_SALE, String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d | %.1f "
            + "| %s | %d |", side, Stats.percentile(sorted, 50), Stats.percentile(sorted, 99),
            Stats.percentile(sorted, 100), LatenessRecorder.early(sorted), sorted.length, orders - distinct,
            handled.twice(), sendSeconds, peakHeld.get(), heap.peakMb()));
    }

    /** Each handled order's lateness, and how many times each order ran, of the sale whose ids have a prefix. */
    private static final class Orders {

        private final LatenessRecorder lateness = new LatenessRecorder();

        private volatile Map<String, LongAdder> runs = new ConcurrentHashMap<>();

        private volatile String prefix = "";

        void reset(String salePrefix, int expected) {
            runs = new ConcurrentHashMap<>(expected * 2);
            lateness.reset(expected);
            prefix = salePrefix;
        }

        void record(String id, long late) {
            if (!id.startsWith(prefix)) {
                return; // a straggler of the warm-up sale
            }
            runs.computeIfAbsent(id, key -> new LongAdder()).increment();
            lateness.record(late);
        }

        void await(Duration timeout) throws InterruptedException {
            lateness.await(timeout);
        }

        int distinct() {
            return runs.size();
        }

        long twice() {
            return runs.values().stream().filter(count -> count.sum() > 1).count();
        }

    }

}
