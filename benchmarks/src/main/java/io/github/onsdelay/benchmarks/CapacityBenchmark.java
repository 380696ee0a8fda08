package io.github.onsdelay.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.onsdelay.consumer.OnsListenerContainer;
import io.github.onsdelay.consumer.OnsListenerRegistry;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.embedded.EmbeddedRocketMQCluster;
import io.github.onsdelay.embedded.TopicMessageType;
import io.github.onsdelay.producer.DelayProducer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import org.apache.rocketmq.client.apis.consumer.PushConsumer;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What one message costs, per unit, for BENCHMARKS.md's capacity model, at the stock 1000 ms timer precision:
 * <ol>
 * <li>steady load: messages of 1 KB at {@value #RATE}/s, each due 5 s after its send (library defaults, meters on,
 * observations off): the listener's broker calls per message by kind, read from {@code ons.delay.broker.calls},
 * and the JVM's CPU per 1,000 messages (server included); then the same load through the raw client's producer
 * and push consumer, for the CPU without the library;</li>
 * <li>a long hold: messages due 40 s after their send from a producer whose delivery lead is 30 s, so that each is
 * held about 30 s: the most held, heap per held message (after a full GC, against before the sends), renewals
 * per held message and minute;</li>
 * <li>handler time: messages due at one instant, handlers taking 0, 10 and 50 ms (concurrency 20, the default),
 * on one instance of the group and, at 10 ms, on two: messages per second from the first handler start to the
 * last;</li>
 * <li>the same at 0 ms and at 10 ms on two instances on a cluster of two brokers behind one proxy (CLUSTER mode),
 * the single server closed meanwhile: what a second broker does when both share the same two cores.</li>
 * </ol>
 */
final class CapacityBenchmark implements Scenario {

    /** The steady load's rate: a peak hour's, well under what the machine sends and receives. */
    private static final int RATE = 1_000;

    /** Observations off (their cost is a row of its own), Spring Boot's simple meter registry on. */
    private static final String METERS_ONLY = "spring.autoconfigure.exclude="
        + "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration";

    @Override
    public String name() {
        return "capacity";
    }

    @Override
    public void run(Workload workload, EmbeddedServers servers, Report report) throws Exception {
        EmbeddedRocketMQBroker broker = servers.at(1000);
        boolean quick = workload.burstMessages() < 100_000;
        report.caption(Report.Table.CAPACITY, "What a message costs, timer precision 1000 ms, bodies of 1 KB, the "
            + "server in the same JVM; per message unless it says otherwise");
        steady(broker, quick ? 5_000 : 20_000, report);
        hold(broker, quick ? 5_000 : 20_000, report);
        int burst = quick ? 2_000 : 10_000;
        handlers(broker, burst, report);
        servers.close();
        try (EmbeddedRocketMQCluster cluster = EmbeddedRocketMQCluster.builder().brokers(2)
                .timerPrecision(Duration.ofMillis(1000)).topic("bench_capacity_lib", TopicMessageType.DELAY).build()
                .start()) {
            double zero = handlerRate(cluster.endpoints(), cluster.timerPrecision(), 0, burst, 1);
            double two = handlerRate(cluster.endpoints(), cluster.timerPrecision(), 10, burst, 2);
            report.row(Report.Table.CAPACITY, String.format(Locale.ROOT, "| the same on two brokers (one proxy, CLUSTER "
                + "mode, the same 2 cores) | 0 ms: %,.0f/s; 10 ms on two instances: %,.0f/s | as above, the topic's "
                + "queues on both brokers |", zero, two));
        }
    }

    private static void steady(EmbeddedRocketMQBroker broker, int messages, Report report) throws Exception {
        Duration over = Duration.ofMillis(messages * 1000L / RATE);
        Handled handled = new Handled();
        BenchListener.handler = (payload, context) -> {
            handled.one();
            return true;
        };
        double libraryCpu;
        double idle;
        try (ConfigurableApplicationContext application = LibraryApplication.listening(broker, "bench-capacity",
                "bench-capacity-steady", true, List.of(METERS_ONLY))) {
            DelayProducer producer = application.getBean("bench-capacity", DelayProducer.class);
            MeterRegistry meters = application.getBean(MeterRegistry.class);
            AsyncSends.Sender send = (id, due) -> producer.deliverAtAsync(Payload.of(id), Instant.ofEpochMilli(due));
            handled.expect(2_000);
            AsyncSends.send(send, "w", 2_000, Duration.ofSeconds(2), sentAt -> sentAt + 2_000);
            handled.await();
            idle = idleCpuPerSecond();
            Calls before = Calls.of(meters, "bench-capacity-steady");
            libraryCpu = cpuPerThousand(idle, messages, () -> {
                handled.expect(messages);
                AsyncSends.send(send, "s", messages, over, sentAt -> sentAt + 5_000);
                handled.await();
            });
            Calls calls = Calls.of(meters, "bench-capacity-steady").minus(before);
            report.row(Report.Table.CAPACITY, String.format(Locale.ROOT, "| broker calls of the listener, steady %,d/s | "
                + "receive %.3f, ack %.3f, change-invisible-duration %.3f (renewals %.3f) | `ons.delay.broker.calls` / "
                + "messages, %,d messages due 5 s after their send (held about 1.5 s each) |", RATE,
                calls.receive / messages, calls.ack / messages, calls.invisibility / messages, calls.renewals / messages,
                messages));
            report.row(Report.Table.CAPACITY, "| broker calls of the producer | send 1 per message; 1 per retry, 1 per hop "
                + "(and the hop's delivery: receive share and ack again) | by construction; retries and hops counted in "
                + "ObservabilityIntegrationTests |");
        }
        Handled raw = new Handled();
        double rawCpu;
        try (PushConsumer consumer = RawClient.consumer(broker, "bench_capacity_raw", "bench-capacity-raw",
                (id, due) -> raw.one());
                Producer producer = RawClient.producer(broker)) {
            AsyncSends.Sender send = (id, due) -> producer.sendAsync(RawClient.message("bench_capacity_raw", id, due));
            raw.expect(2_000);
            AsyncSends.send(send, "w", 2_000, Duration.ofSeconds(2), sentAt -> sentAt + 2_000);
            raw.await();
            rawCpu = cpuPerThousand(idle, messages, () -> {
                raw.expect(messages);
                AsyncSends.send(send, "s", messages, over, sentAt -> sentAt + 5_000);
                raw.await();
            });
        }
        report.row(Report.Table.CAPACITY, String.format(Locale.ROOT, "| CPU of the idle server | %.0f ms per second | "
            + "process CPU time over 5 s with nothing sent (the broker's timer wheel and housekeeping) |", idle));
        report.row(Report.Table.CAPACITY, String.format(Locale.ROOT, "| CPU per 1,000 messages, steady %,d/s | library "
            + "%.0f ms, raw client %.0f ms (the whole JVM: server, client, application) | process CPU time over the "
            + "run less the idle server's, / messages |", RATE, libraryCpu, rawCpu));
    }

    private static void hold(EmbeddedRocketMQBroker broker, int messages, Report report) throws Exception {
        Handled handled = new Handled();
        BenchListener.handler = (payload, context) -> {
            handled.one();
            return true;
        };
        try (ConfigurableApplicationContext application = LibraryApplication.listening(broker, "bench-capacity-hold",
                "bench-capacity-hold", true, List.of(METERS_ONLY, "mqs.ons.consumer.max-held-messages=" + (messages + 1_000)))) {
            DelayProducer producer = application.getBean("bench-capacity-hold", DelayProducer.class);
            MeterRegistry meters = application.getBean(MeterRegistry.class);
            OnsListenerContainer container = application.getBean(OnsListenerRegistry.class)
                .getListenerContainer("bench-capacity-hold");
            AsyncSends.Sender send = (id, due) -> producer.deliverAtAsync(Payload.of(id), Instant.ofEpochMilli(due));
            handled.expect(1_000);
            AsyncSends.send(send, "w", 1_000, Duration.ofSeconds(1), sentAt -> sentAt + 31_000);
            handled.await();
            long baseline = usedHeapAfterGc();
            Calls before = Calls.of(meters, "bench-capacity-hold");
            handled.expect(messages);
            long sent = System.currentTimeMillis();
            AsyncSends.send(send, "h", messages, Duration.ofSeconds(5), sentAt -> sentAt + 40_000);
            // Released by the broker 30 s before due: 10 s after its send, give or take the timer's second.
            long deadline = sent + 30_000;
            while (container.getFigures().held() < messages && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            int held = container.getFigures().held();
            long heldHeap = usedHeapAfterGc();
            handled.await();
            Calls calls = Calls.of(meters, "bench-capacity-hold").minus(before);
            long heldBytes = container.getFigures().peakHeldBytes();
            report.row(Report.Table.CAPACITY, String.format(Locale.ROOT, "| heap per held message | %,d bytes (body %,d) "
                + "| used heap after a full GC with %,d held, against before the sends, / held; delivery lead 30 s |",
                (heldHeap - baseline) / Math.max(1, held), heldBytes / Math.max(1, container.getFigures().peakHeld()), held));
            double heldMinutes = messages * 0.5; // each held about 30 s
            report.row(Report.Table.CAPACITY, String.format(Locale.ROOT, "| lease renewals per held message and minute | "
                + "%.1f (defaults: invisible 10 s, renewed 5 s before it ends) | `ons.delay.lease.renewals` over the hold "
                + "/ (%,d messages x 0.5 min) |", calls.renewals / heldMinutes, messages));
        }
    }

    private static void handlers(EmbeddedRocketMQBroker broker, int messages, Report report) throws Exception {
        List<String> rates = new ArrayList<>();
        for (long handlerMs : new long[] {0, 10, 50}) {
            int count = handlerMs == 50 ? messages / 4 : messages;
            rates.add(String.format(Locale.ROOT, "%d ms: %,.0f/s", handlerMs,
                handlerRate(broker.endpoints(), broker.timerPrecision(), handlerMs, count, 1)));
        }
        rates.add(String.format(Locale.ROOT, "10 ms on two instances: %,.0f/s",
            handlerRate(broker.endpoints(), broker.timerPrecision(), 10, messages, 2)));
        report.row(Report.Table.CAPACITY, "| messages per second one group handles, by handler time | "
            + String.join("; ", rates) + " | " + String.format(Locale.ROOT, "%,d", messages) + " due at one instant "
            + "(a quarter at 50 ms), concurrency 20 per instance, first to last handler start |");
    }

    private static double handlerRate(String endpoints, Duration timerPrecision, long handlerMs, int messages,
            int instances) throws Exception {
        String group = "bench-capacity-" + handlerMs + "ms-" + instances;
        // Ids of this run only: a group new to a topic may also be given the topic's earlier messages (RocketMQ
        // starts a new group at the queue's first message while that is still in memory), which must not count.
        String warmUp = group + "-w";
        String burst = group + "-t";
        Handled warm = new Handled();
        Handled handled = new Handled();
        AtomicLong strays = new AtomicLong();
        AtomicLong first = new AtomicLong();
        AtomicLong last = new AtomicLong();
        AtomicLong firstWall = new AtomicLong();
        AtomicLong lastWall = new AtomicLong();
        BenchListener.handler = (payload, context) -> {
            if (!payload.id().startsWith(burst)) {
                if (payload.id().startsWith(warmUp)) {
                    warm.one();
                }
                else {
                    strays.incrementAndGet();
                }
                return true;
            }
            long now = System.nanoTime();
            if (first.compareAndSet(0, now)) {
                firstWall.set(System.currentTimeMillis());
            }
            last.set(now);
            lastWall.set(System.currentTimeMillis());
            if (handlerMs > 0) {
                try {
                    Thread.sleep(handlerMs);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            handled.one();
            return true;
        };
        List<ConfigurableApplicationContext> applications = new ArrayList<>();
        try {
            for (int i = 0; i < instances; i++) {
                applications.add(LibraryApplication.listening(endpoints, timerPrecision, "bench-capacity", group, false,
                    List.of()));
            }
            DelayProducer producer = applications.get(0).getBean("bench-capacity", DelayProducer.class);
            AsyncSends.Sender send = (id, due) -> producer.deliverAtAsync(Payload.of(id), Instant.ofEpochMilli(due));
            warm.expect(200);
            warm.forgive(AsyncSends.send(send, warmUp, 200, Duration.ZERO, sentAt -> sentAt + 2_000));
            warm.await();
            long instant = System.currentTimeMillis() + 8_000;
            handled.expect(messages);
            int failed = AsyncSends.send(send, burst, messages, Duration.ZERO, sentAt -> instant);
            handled.forgive(failed);
            handled.await();
            double rate = (messages - failed - 1) / ((last.get() - first.get()) / 1e9);
            BenchLog.log(String.format(Locale.ROOT, "capacity: handler %d ms on %d instance(s): %.0f/s, the first "
                + "handler %d ms after the instant, the last %d ms; %d earlier messages of the topic handled too",
                handlerMs, instances, rate, firstWall.get() - instant, lastWall.get() - instant, strays.get()));
            return rate;
        }
        finally {
            for (ConfigurableApplicationContext application : applications) {
                application.close();
            }
        }
    }

    @FunctionalInterface
    private interface Load {

        void run() throws Exception;

    }

    /** The JVM's CPU milliseconds per 1,000 messages while {@code load} runs, less the idle server's. */
    private static double cpuPerThousand(double idleMsPerSecond, int messages, Load load) throws Exception {
        long cpu = processCpuNanos();
        long began = System.nanoTime();
        load.run();
        double seconds = (System.nanoTime() - began) / 1e9;
        double used = (processCpuNanos() - cpu) / 1e6 - idleMsPerSecond * seconds;
        return used / messages * 1000;
    }

    private static double idleCpuPerSecond() throws InterruptedException {
        long cpu = processCpuNanos();
        long began = System.nanoTime();
        Thread.sleep(5_000);
        return (processCpuNanos() - cpu) / 1e6 / ((System.nanoTime() - began) / 1e9);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        Thread.sleep(500);
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** How many handler runs one part expects, awaited with a bound. */
    private static final class Handled {

        private volatile CountDownLatch latch = new CountDownLatch(0);

        void expect(int count) {
            latch = new CountDownLatch(count);
        }

        void one() {
            latch.countDown();
        }

        /** Bodies whose send failed: never to be handled, so not waited for. */
        void forgive(int count) {
            for (int i = 0; i < count; i++) {
                latch.countDown();
            }
        }

        void await() throws InterruptedException {
            if (!latch.await(180, TimeUnit.SECONDS)) {
                BenchLog.log("warning: capacity: " + latch.getCount() + " messages not handled in 180 s");
            }
        }

    }

    /** A listener group's broker calls and confirmed renewals so far, from its meters. */
    private record Calls(double receive, double ack, double invisibility, double renewals) {

        static Calls of(MeterRegistry meters, String group) {
            return new Calls(count(meters, "ons.delay.broker.calls", group, "receive"),
                count(meters, "ons.delay.broker.calls", group, "ack"),
                count(meters, "ons.delay.broker.calls", group, "change-invisible-duration"),
                count(meters, "ons.delay.lease.renewals", group, null));
        }

        Calls minus(Calls before) {
            return new Calls(receive - before.receive, ack - before.ack, invisibility - before.invisibility,
                renewals - before.renewals);
        }

        private static double count(MeterRegistry meters, String name, String group, String call) {
            Search search = meters.find(name).tag("messaging.consumer.group.name", group);
            if (call != null) {
                search = search.tag("call", call);
            }
            return search.functionCounters().stream().mapToDouble(counter -> counter.count()).sum();
        }

    }

}
