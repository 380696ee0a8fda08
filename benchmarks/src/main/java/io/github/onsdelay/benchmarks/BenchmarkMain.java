package io.github.onsdelay.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

import com.alibaba.fastjson2.JSON;
import io.github.onsdelay.consumer.observation.DefaultOnsListenerObservationConvention;
import io.github.onsdelay.consumer.observation.OnsListenerContext;
import io.github.onsdelay.consumer.observation.OnsListenerObservation;
import io.github.onsdelay.benchmarks.peers.Stats;
import io.github.onsdelay.benchmarks.peers.Throughput;
import io.github.onsdelay.core.OnsMessageProperties;
import io.github.onsdelay.core.TimedMessage;
import io.github.onsdelay.core.observation.DefaultOnsSendObservationConvention;
import io.github.onsdelay.core.observation.OnsSendContext;
import io.github.onsdelay.core.observation.OnsSendObservation;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.github.onsdelay.embedded.TopicMessageType;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.ConsumeResult;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.FilterExpressionType;
import org.apache.rocketmq.client.apis.consumer.PushConsumer;
import org.apache.rocketmq.client.apis.message.Message;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * ons-delay against plain rocketmq-client-java on one embedded server, in one run: each scenario runs the
 * library and the raw client alternately (or interleaved, for lateness), for several rounds, and reports
 * medians and the ratio library / raw. Run: {@code java -jar benchmarks/target/ons-delay-benchmarks.jar}
 * ({@code --rounds=N}, {@code --quick} for a smoke run). With {@code --peers}: the {@link PeerBenchmark} instead.
 */
public final class BenchmarkMain {

    private static final ClientServiceProvider PROVIDER = ClientServiceProvider.loadService();

    /** Spring Boot's meter registry and observation registry: excluded unless a scenario observes. */
    static final String WITHOUT_OBSERVABILITY = "spring.autoconfigure.exclude="
        + "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration,"
        + "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration,"
        + "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration,"
        + "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration";

    private static final String[] TOPICS = {"bench_send", "bench_consume_lib", "bench_consume_obs", "bench_consume_ctl", "bench_consume_raw",
        "bench_lateness_lib", "bench_lateness_raw", "bench_retry", "bench_burst_lib", "bench_burst_raw", "bench_journal",
        "bench_idem_on", "bench_idem_off"};

    private final int rounds;

    private final Duration window;

    private final int consumeMessages;

    private final int latenessMessages;

    private final Duration latenessSpread;

    private final int retryMessages;

    private final int burstMessages;

    private final List<String> rows = new ArrayList<>();

    private final List<String> overheadRows = new ArrayList<>();

    private final List<String> journalRows = new ArrayList<>();

    /** Only this scenario ({@code --only=observability}, {@code --only=observation-cost}), or all. */
    private final @Nullable String only;

    private BenchmarkMain(boolean quick, int rounds, @Nullable String only) {
        this.rounds = rounds;
        this.only = only;
        this.window = quick ? Duration.ofSeconds(2) : Duration.ofSeconds(5);
        this.consumeMessages = quick ? 5_000 : 50_000;
        this.burstMessages = quick ? 10_000 : 100_000;
        this.latenessMessages = quick ? 1_000 : 10_000;
        this.latenessSpread = quick ? Duration.ofSeconds(5) : Duration.ofSeconds(20);
        this.retryMessages = quick ? 1_000 : 10_000;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        int rounds = Arrays.stream(args).filter(arg -> arg.startsWith("--rounds=")).findFirst()
            .map(arg -> Integer.parseInt(arg.substring("--rounds=".length()))).orElse(3);
        String only = Arrays.stream(args).filter(arg -> arg.startsWith("--only=")).findFirst()
            .map(arg -> arg.substring("--only=".length())).orElse(null);
        if (Arrays.asList(args).contains("--peers")) {
            String peer = Arrays.stream(args).filter(arg -> arg.startsWith("--peer=")).findFirst()
                .map(arg -> arg.substring("--peer=".length())).orElse(null);
            new PeerBenchmark(quick, peer).run(machine());
        }
        else {
            new BenchmarkMain(quick, rounds, only).run();
        }
        System.exit(0);
    }

    private void run() throws Exception {
        long began = System.nanoTime();
        String machine = machine();
        log("Machine: " + machine + "; rounds: " + rounds);
        rows.add("| scenario | library (median) | raw client (median) | library / raw |");
        rows.add("|---|---|---|---|");
        if ("observation-cost".equals(only)) {
            observationCost();
        }
        else if ("journal".equals(only)) {
            try (EmbeddedRocketMQBroker broker = broker(100)) {
                journal(broker);
            }
        }
        else if ("observability".equals(only)) {
            try (EmbeddedRocketMQBroker broker = broker(100)) {
                observabilityOverhead(broker);
            }
        }
        else {
            all();
        }
        List<String> tables = new ArrayList<>();
        if (rows.size() > 2) {
            tables.add(String.join("\n", rows));
        }
        if (!overheadRows.isEmpty()) {
            tables.add("| scenario | meters and observations on (median) | off (median) | on / off | control: off again / off |\n"
                + "|---|---|---|---|---|\n" + String.join("\n", overheadRows));
        }
        if (!journalRows.isEmpty()) {
            tables.add(String.join("\n", journalRows));
        }
        String table = String.join("\n\n", tables);
        System.out.println();
        System.out.println("Machine: " + machine);
        System.out.println(table);
        Path out = Path.of("benchmarks", "target", "benchmark-results.md");
        if (Files.isDirectory(out.getParent())) {
            Files.writeString(out, "Machine: " + machine + "\n\n" + table + "\n");
        }
        log("Done in " + Duration.ofNanos(System.nanoTime() - began).toSeconds() + " s");
    }

    private static String machine() {
        return String.format(Locale.ROOT, "%d cores, %s %s, max heap %d MB, %s %s",
            Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
            System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
            System.getProperty("os.name"), System.getProperty("os.arch"));
    }

    private void all() throws Exception {
        try (EmbeddedRocketMQBroker broker = broker(100)) {
            try (ConfigurableApplicationContext senders = library(broker, null, null, false);
                    Producer raw = rawProducer(broker)) {
                DelayProducer lib = senders.getBean("bench-send", DelayProducer.class);
                sendThroughput(lib, raw, 1);
                sendThroughput(lib, raw, 4);
                asyncThroughput(lib, raw);
            }
            consumeThroughput(broker);
            observabilityOverhead(broker);
            lateness(broker);
            burst(broker);
            retryPipeline(broker);
            journal(broker);
        }
        try (EmbeddedRocketMQBroker broker = broker(1000)) {
            lateness(broker);
        }
    }

    // ---------------------------------------------------------------- scenarios

    /** The journal's outbox and handle-once on PostgreSQL: see {@link JournalBenchmark}. */
    private void journal(EmbeddedRocketMQBroker broker) throws Exception {
        new JournalBenchmark(broker, window, rounds, consumeMessages / 5, journalRows).run();
    }

    private void sendThroughput(DelayProducer lib, Producer raw, int threads) throws Exception {
        AtomicLong ids = new AtomicLong();
        Throughput.Operation libSend = () -> {
            String id = "s" + ids.incrementAndGet();
            lib.send(DelayMessage.of(Payload.of(id)).withKey(id));
        };
        Throughput.Operation rawSend = () -> {
            String id = "s" + ids.incrementAndGet();
            raw.send(rawMessage("bench_send", id, System.currentTimeMillis()));
        };
        // Both sides and the shared server are JIT-compiled before anything counts.
        measureThroughput(libSend, threads, window);
        measureThroughput(rawSend, threads, window);
        List<Double> libRates = new ArrayList<>();
        List<Double> rawRates = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            // Who goes first alternates, so neither side always meets a server fresh from the other's load.
            if (round % 2 == 0) {
                libRates.add(measureThroughput(libSend, threads, window));
                rawRates.add(measureThroughput(rawSend, threads, window));
            }
            else {
                rawRates.add(measureThroughput(rawSend, threads, window));
                libRates.add(measureThroughput(libSend, threads, window));
            }
        }
        row("Sync send, 1 KB JSON, " + threads + " thread(s) (msgs/s)", libRates, rawRates);
    }

    private void asyncThroughput(DelayProducer lib, Producer raw) throws Exception {
        AtomicLong ids = new AtomicLong();
        AsyncSender libSend = done -> {
            String id = "a" + ids.incrementAndGet();
            lib.sendAsync(DelayMessage.of(Payload.of(id)).withKey(id)).whenComplete((result, ex) -> done.accept(ex == null ? 1 : 0));
        };
        AsyncSender rawSend = done -> {
            String id = "a" + ids.incrementAndGet();
            raw.sendAsync(rawMessage("bench_send", id, System.currentTimeMillis()))
                .whenComplete((receipt, ex) -> done.accept(ex == null ? 1 : 0));
        };
        measureAsync(libSend);
        measureAsync(rawSend);
        List<Double> libRates = new ArrayList<>();
        List<Double> rawRates = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            if (round % 2 == 0) {
                libRates.add(measureAsync(libSend));
                rawRates.add(measureAsync(rawSend));
            }
            else {
                rawRates.add(measureAsync(rawSend));
                libRates.add(measureAsync(libSend));
            }
        }
        row("Async send, 1 KB JSON, at most 512 in flight (msgs/s)", libRates, rawRates);

        // The same raw send carrying the five properties every ons-delay message carries: what is left of
        // the gap above is the library's own cost, the rest is the properties' cost in client and server.
        AsyncSender rawWithProperties = done -> {
            String id = "a" + ids.incrementAndGet();
            long now = System.currentTimeMillis();
            raw.sendAsync(PROVIDER.newMessageBuilder().setTopic("bench_send").setTag("bench").setKeys(id)
                    .setBody(JSON.toJSONBytes(Payload.of(id))).setDeliveryTimestamp(now)
                    .addProperty("ons_delay_attempt", "0").addProperty("ons_delay_due_at", Long.toString(now))
                    .addProperty("ons_delay_first_sent_at", Long.toString(now))
                    .addProperty("ons_delay_producer", "bench-send").addProperty("ons_delay_business_key", id)
                    .build())
                .whenComplete((receipt, ex) -> done.accept(ex == null ? 1 : 0));
        };
        measureAsync(rawWithProperties);
        List<Double> libAgain = new ArrayList<>();
        List<Double> rawProps = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            if (round % 2 == 0) {
                libAgain.add(measureAsync(libSend));
                rawProps.add(measureAsync(rawWithProperties));
            }
            else {
                rawProps.add(measureAsync(rawWithProperties));
                libAgain.add(measureAsync(libSend));
            }
        }
        row("Async send, raw client carrying the same 5 properties (msgs/s)", libAgain, rawProps);
    }

    /** A burst of messages all due at one instant; time from that instant until the last is handled. */
    private void consumeThroughput(EmbeddedRocketMQBroker broker) throws Exception {
        Arrival libArrival = new Arrival();
        Arrival rawArrival = new Arrival();
        BenchListener.handler = (payload, context) -> {
            libArrival.arrived(payload.id());
            return true;
        };
        try (ConfigurableApplicationContext listener = library(broker, "bench-consume-lib", "bench-consume-lib", true);
                PushConsumer rawConsumer = rawConsumer(broker, "bench_consume_raw", "bench-consume-raw",
                    (id, due) -> rawArrival.arrived(id));
                Producer loader = rawProducer(broker)) {
            warmUp(loader, "bench_consume_lib", libArrival);
            warmUp(loader, "bench_consume_raw", rawArrival);
            burst(loader, "bench_consume_lib", libArrival, "warm-l");
            burst(loader, "bench_consume_raw", rawArrival, "warm-r");
            List<Double> libRates = new ArrayList<>();
            List<Double> rawRates = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                if (round % 2 == 0) {
                    libRates.add(burst(loader, "bench_consume_lib", libArrival, "c" + round + "l"));
                    rawRates.add(burst(loader, "bench_consume_raw", rawArrival, "c" + round + "r"));
                }
                else {
                    rawRates.add(burst(loader, "bench_consume_raw", rawArrival, "c" + round + "r"));
                    libRates.add(burst(loader, "bench_consume_lib", libArrival, "c" + round + "l"));
                }
            }
            row("Consume messages already due, " + consumeMessages + " per burst (msgs/s)", libRates, rawRates);
        }
    }

    private double burst(Producer loader, String topic, Arrival arrival, String prefix) throws Exception {
        return burst(loader, topic, arrival, prefix, consumeMessages);
    }

    /** {@code count} messages sent to be due at one instant; their rate from that instant until the last arrived. */
    static double burst(Producer loader, String topic, Arrival arrival, String prefix, int consumeMessages)
            throws Exception {
        arrival.reset(consumeMessages);
        long due = System.currentTimeMillis() + 3_000 + consumeMessages / 10;
        Semaphore inFlight = new Semaphore(512);
        for (int i = 0; i < consumeMessages; i++) {
            inFlight.acquire();
            loader.sendAsync(rawMessage(topic, prefix + i, due)).whenComplete((receipt, ex) -> inFlight.release());
        }
        inFlight.acquire(512);
        inFlight.release(512);
        if (System.currentTimeMillis() > due) {
            log("warning: loading " + topic + " took past the due time");
        }
        if (!arrival.await(Duration.ofSeconds(120))) {
            log("warning: only " + arrival.count() + " of " + consumeMessages + " arrived on " + topic);
        }
        double seconds = Math.max(1, arrival.lastArrival() - due) / 1000.0;
        return consumeMessages / seconds;
    }

    /**
     * The library with meters and observations on against the library with them off, on the same server, and a
     * second application with them off as the control: its ratio to the first is the measurement's own noise.
     * Sync sends from 1 and 4 threads in short windows and consume bursts, the three applications taking turns
     * in rotating order.
     */
    private void observabilityOverhead(EmbeddedRocketMQBroker broker) throws Exception {
        try (ConfigurableApplicationContext observed = library(broker, null, null, false, true);
                ConfigurableApplicationContext plain = library(broker, null, null, false, false);
                ConfigurableApplicationContext control = library(broker, null, null, false, false)) {
            log("Meter registries: observed application " + meterRegistries(observed) + ", plain application "
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
            Duration slice = window.dividedBy(2);
            for (int threads : new int[] {1, 4}) {
                for (int warm = 0; warm < 3; warm++) {
                    for (Throughput.Operation sender : senders) {
                        measureThroughput(sender, threads, slice);
                    }
                }
                List<List<Double>> rates = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
                for (int round = 0; round < overheadRounds(); round++) {
                    for (int turn = 0; turn < 3; turn++) {
                        int app = (round + turn) % 3;
                        rates.get(app).add(measureThroughput(senders.get(app), threads, slice));
                    }
                }
                overheadRow("Sync send, 1 KB JSON, " + threads + " thread(s) (msgs/s)", rates);
            }
        }
        List<Arrival> arrivals = List.of(new Arrival(), new Arrival(), new Arrival());
        BenchListener.handler = (payload, context) -> {
            arrivals.get(payload.id().charAt(0) - 'a').arrived(payload.id());
            return true;
        };
        List<String> topics = List.of("bench_consume_obs", "bench_consume_lib", "bench_consume_ctl");
        try (ConfigurableApplicationContext observed = library(broker, "bench-consume-obs", "bench-consume-obs", true, true);
                ConfigurableApplicationContext plain = library(broker, "bench-consume-lib", "bench-consume-lib", true, false);
                ConfigurableApplicationContext control = library(broker, "bench-consume-ctl", "bench-consume-ctl", true,
                    false);
                Producer loader = rawProducer(broker)) {
            for (int app = 0; app < 3; app++) {
                burst(loader, topics.get(app), arrivals.get(app), (char) ('a' + app) + "-warm");
            }
            List<List<Double>> rates = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (int round = 0; round < rounds; round++) {
                for (int turn = 0; turn < 3; turn++) {
                    int app = (round + turn) % 3;
                    rates.get(app).add(burst(loader, topics.get(app), arrivals.get(app), (char) ('a' + app) + "" + round));
                }
            }
            overheadRow("Consume messages already due, " + consumeMessages + " per burst (msgs/s)", rates);
        }
        observationCost();
    }

    /**
     * What meters and observations add to each message, measured alone: one send observation, one handler
     * observation and one lateness record, as Spring Boot's default handler makes them (a timer and a long task
     * timer per observation), on one thread. End to end, these few microseconds are below the noise of the
     * rows above.
     */
    private void observationCost() {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(
            new io.micrometer.core.instrument.observation.DefaultMeterObservationHandler(meters));
        io.micrometer.core.instrument.Timer lateness = io.micrometer.core.instrument.Timer.builder("lateness")
            .publishPercentileHistogram().serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(50))
            .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1)).register(meters);
        TimedMessage message = new TimedMessage("bench-send", "bench_send", "bench", "key", new byte[16], 0,
            Instant.now(), Instant.now(), null);
        DefaultOnsSendObservationConvention sendConvention = new DefaultOnsSendObservationConvention();
        DefaultOnsListenerObservationConvention handlerConvention = new DefaultOnsListenerObservationConvention();
        Map<String, String> properties = Map.of(OnsMessageProperties.ATTEMPT, "0", OnsMessageProperties.PRODUCER,
            "bench-send");
        int operations = window.getSeconds() < 5 ? 200_000 : 1_000_000;
        List<Double> send = new ArrayList<>();
        List<Double> handler = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            long began = System.nanoTime();
            for (int i = 0; i < operations; i++) {
                OnsSendContext context = new OnsSendContext(message, false);
                Observation observation = OnsSendObservation.SEND.observation(null, sendConvention, () -> context,
                    registry).start();
                try (Observation.Scope scope = observation.openScope()) {
                    context.setMessageId("id");
                }
                observation.stop();
            }
            send.add((System.nanoTime() - began) / (double) operations);
            began = System.nanoTime();
            for (int i = 0; i < operations; i++) {
                OnsListenerContext context = new OnsListenerContext(properties, "group", "bench-send", 0, "key", "id");
                Observation observation = OnsListenerObservation.HANDLER.observation(null, handlerConvention,
                    () -> context, registry).start();
                try (Observation.Scope scope = observation.openScope()) {
                    context.setOutcome("success");
                }
                observation.stop();
                lateness.record(Duration.ofMillis(i & 7));
            }
            handler.add((System.nanoTime() - began) / (double) operations);
        }
        // The first two rounds warm the code up.
        double sendNanos = Stats.median(send.subList(2, send.size()));
        double handlerNanos = Stats.median(handler.subList(2, handler.size()));
        String line = String.format(Locale.ROOT, "| Cost per message, measured alone: send observation %.1f µs, "
            + "handler observation and lateness record %.1f µs |  |  |  |  |", sendNanos / 1000, handlerNanos / 1000);
        overheadRows.add(line);
        log(line);
    }

    private static List<String> meterRegistries(ConfigurableApplicationContext context) {
        return context.getBeanProvider(io.micrometer.core.instrument.MeterRegistry.class).stream()
            .map(registry -> registry.getClass().getSimpleName()).toList();
    }

    /** More, shorter turns than the other rows: a 3 % difference is within one window's noise on two cores. */
    private int overheadRounds() {
        return rounds * 4;
    }

    /** Timed messages spread over the window, library and raw interleaved, so both see the same load. */
    private void lateness(EmbeddedRocketMQBroker broker) throws Exception {
        String precision = broker.timerPrecision().toMillis() + " ms";
        Lateness libLateness = new Lateness();
        Lateness rawLateness = new Lateness();
        BenchListener.handler = (payload, context) -> {
            libLateness.record(System.currentTimeMillis() - context.dueAt().toEpochMilli());
            return true;
        };
        try (ConfigurableApplicationContext listener = library(broker, "bench-lateness", "bench-lateness-lib", true);
                PushConsumer rawConsumer = rawConsumer(broker, "bench_lateness_raw", "bench-lateness-raw",
                    (id, due) -> rawLateness.record(System.currentTimeMillis() - due));
                Producer raw = rawProducer(broker)) {
            DelayProducer lib = listener.getBean("bench-lateness", DelayProducer.class);
            Random random = new Random(7);
            List<long[]> libRounds = new ArrayList<>();
            List<long[]> rawRounds = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                libLateness.reset(latenessMessages);
                rawLateness.reset(latenessMessages);
                long start = System.nanoTime();
                long stepNanos = latenessSpread.toNanos() / latenessMessages;
                for (int i = 0; i < latenessMessages; i++) {
                    long wait = start + i * stepNanos - System.nanoTime();
                    if (wait > 1_000_000) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    String id = "l" + round + "-" + i;
                    long libDue = System.currentTimeMillis() + 2_000 + random.nextInt(8_000);
                    lib.deliverAtAsync(Payload.of(id), Instant.ofEpochMilli(libDue));
                    long rawDue = System.currentTimeMillis() + 2_000 + random.nextInt(8_000);
                    raw.sendAsync(rawMessage("bench_lateness_raw", id, rawDue));
                }
                libLateness.await(Duration.ofSeconds(60));
                rawLateness.await(Duration.ofSeconds(60));
                libRounds.add(libLateness.sorted());
                rawRounds.add(rawLateness.sorted());
                log("lateness round " + round + " at " + precision + ": library " + describe(libRounds.get(round))
                    + "; raw " + describe(rawRounds.get(round)));
            }
            for (String label : List.of("p50", "p90", "p99", "max")) {
                double p = switch (label) {
                    case "p50" -> 50;
                    case "p90" -> 90;
                    case "p99" -> 99;
                    default -> 100;
                };
                row("Lateness " + label + " at " + precision + " precision, " + latenessMessages + " msgs, delays 2-10 s (ms)",
                    libRounds.stream().map(s -> (double) Stats.percentile(s, p)).toList(),
                    rawRounds.stream().map(s -> (double) Stats.percentile(s, p)).toList());
            }
            row("Early deliveries at " + precision + " precision (handler ran before due)",
                libRounds.stream().map(s -> (double) Arrays.stream(s).filter(v -> v < 0).count()).toList(),
                rawRounds.stream().map(s -> (double) Arrays.stream(s).filter(v -> v < 0).count()).toList());
            row("Messages received at " + precision + " precision (of " + latenessMessages + ")",
                libRounds.stream().map(s -> (double) s.length).toList(),
                rawRounds.stream().map(s -> (double) s.length).toList());
        }
    }

    /**
     * Many messages due at one instant, sent ahead of time: how long after that instant the last handler ran,
     * how late they ran, and what the library held meanwhile. One round: it is the broker's timer that is
     * measured as much as the consumers.
     */
    private void burst(EmbeddedRocketMQBroker broker) throws Exception {
        Lateness libLateness = new Lateness();
        Lateness rawLateness = new Lateness();
        BenchListener.handler = (payload, context) -> {
            libLateness.record(System.currentTimeMillis() - context.dueAt().toEpochMilli());
            return true;
        };
        HeapSampler heap = new HeapSampler();
        try (ConfigurableApplicationContext listener = library(broker, "bench-burst", "bench-burst-lib", true);
                PushConsumer rawConsumer = rawConsumer(broker, "bench_burst_raw", "bench-burst-raw",
                    (id, due) -> rawLateness.record(System.currentTimeMillis() - due));
                Producer raw = rawProducer(broker)) {
            DelayProducer producer = listener.getBean("bench-burst", DelayProducer.class);
            io.github.onsdelay.consumer.OnsListenerContainer container = listener
                .getBean(io.github.onsdelay.consumer.OnsListenerRegistry.class).getListenerContainer("bench-burst-lib");
            libLateness.reset(burstMessages);
            rawLateness.reset(burstMessages);
            long due = System.currentTimeMillis() + 20_000 + burstMessages / 10;
            Semaphore inFlight = new Semaphore(512);
            for (int i = 0; i < burstMessages; i++) {
                inFlight.acquire();
                producer.deliverAtAsync(Payload.of("bl" + i), Instant.ofEpochMilli(due)).whenComplete((r, ex) -> inFlight.release());
                inFlight.acquire();
                raw.sendAsync(rawMessage("bench_burst_raw", "br" + i, due)).whenComplete((r, ex) -> inFlight.release());
            }
            inFlight.acquire(512);
            if (System.currentTimeMillis() > due) {
                log("warning: loading the burst took past its due time");
            }
            heap.start();
            libLateness.await(Duration.ofSeconds(300));
            rawLateness.await(Duration.ofSeconds(300));
            heap.stop();
            long[] lib = libLateness.sorted();
            long[] rawSorted = rawLateness.sorted();
            log("burst of " + burstMessages + ": library " + describe(lib) + "; raw " + describe(rawSorted)
                + "; library peak held " + container.getFigures().peakHeld() + ", heap peak " + heap.peakMb() + " MB");
            row("Burst of " + burstMessages + " due at one instant: last handler ran after it (ms)",
                List.of((double) Stats.percentile(lib, 100)), List.of((double) Stats.percentile(rawSorted, 100)));
            row("Burst of " + burstMessages + ": p99 lateness (ms)", List.of((double) Stats.percentile(lib, 99)),
                List.of((double) Stats.percentile(rawSorted, 99)));
            row("Burst of " + burstMessages + ": messages handled (early: never)",
                List.of((double) lib.length), List.of((double) rawSorted.length));
            rows.add(String.format(Locale.ROOT, "| Burst of %d: library peak held messages / JVM heap peak (MB, server in the same JVM) | %d / %d | n/a | |",
                burstMessages, container.getFigures().peakHeld(), heap.peakMb()));
        }
    }

    /** Samples the JVM's used heap every 100 ms. */
    private static final class HeapSampler {

        private volatile boolean running;

        private volatile long peak;

        private Thread thread;

        void start() {
            running = true;
            thread = new Thread(() -> {
                while (running) {
                    peak = Math.max(peak, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                    try {
                        Thread.sleep(100);
                    }
                    catch (InterruptedException ex) {
                        return;
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            running = false;
        }

        long peakMb() {
            return peak >> 20;
        }

    }

    /** Every handler fails once; the library re-sends each as attempt 1, due 1 s later. */
    private void retryPipeline(EmbeddedRocketMQBroker broker) throws Exception {
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
        try (ConfigurableApplicationContext listener = library(broker, "bench-retry", "bench-retry", true)) {
            DelayProducer lib = listener.getBean("bench-retry", DelayProducer.class);
            List<Double> seconds = new ArrayList<>();
            List<Double> lost = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                succeeded.reset(retryMessages);
                long start = System.nanoTime();
                Semaphore inFlight = new Semaphore(512);
                for (int i = 0; i < retryMessages; i++) {
                    inFlight.acquire();
                    String id = "r" + round + "-" + i;
                    lib.sendAsync(DelayMessage.of(Payload.of(id)).withKey(id)).whenComplete((r, ex) -> inFlight.release());
                }
                boolean all = succeeded.await(Duration.ofSeconds(180));
                seconds.add(Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0);
                lost.add((double) (retryMessages - succeeded.count()));
                log("retry round " + round + ": " + (all ? "all" : succeeded.count()) + " succeeded in "
                    + seconds.get(round) + " s, duplicates so far " + duplicates.get());
            }
            rows.add(String.format(Locale.ROOT, "| Retry pipeline, %d msgs failing once, delay 1 s: time until all succeed (s) | %.1f | n/a | |",
                retryMessages, Stats.median(seconds)));
            rows.add(String.format(Locale.ROOT, "| Retry pipeline: lost (all rounds) / duplicate handler runs | %d / %d | n/a | |",
                (long) lost.stream().mapToDouble(Double::doubleValue).sum(), duplicates.get()));
        }
    }

    // ---------------------------------------------------------------- measurement

    private interface AsyncSender {
        void send(LongConsumer done);
    }

    private static double measureThroughput(Throughput.Operation sender, int threads, Duration window) throws Exception {
        return Throughput.measure(sender, threads, window).rate();
    }

    private double measureAsync(AsyncSender sender) throws InterruptedException {
        Semaphore inFlight = new Semaphore(512);
        AtomicLong completed = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + window.toNanos();
        while (System.nanoTime() < deadline) {
            inFlight.acquire();
            sender.send(ok -> {
                completed.addAndGet(ok);
                inFlight.release();
            });
        }
        inFlight.acquire(512);
        inFlight.release(512);
        return completed.get() / (Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0);
    }

    static void warmUp(Producer loader, String topic, Arrival arrival) throws Exception {
        arrival.reset(1);
        loader.send(rawMessage(topic, "warm-up-" + topic, System.currentTimeMillis()));
        if (!arrival.await(Duration.ofSeconds(60))) {
            throw new IllegalStateException("Consumer of " + topic + " did not start");
        }
    }

    /** Counts distinct ids until a target is reached, remembering when the last one came. */
    static final class Arrival {

        private volatile Set<String> seen = ConcurrentHashMap.newKeySet();

        private volatile CountDownLatch latch = new CountDownLatch(0);

        private volatile long last;

        void reset(int expected) {
            seen = ConcurrentHashMap.newKeySet();
            latch = new CountDownLatch(expected);
        }

        boolean arrived(String id) {
            if (seen.add(id)) {
                last = System.currentTimeMillis();
                latch.countDown();
                return true;
            }
            return false;
        }

        boolean await(Duration timeout) throws InterruptedException {
            return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        long lastArrival() {
            return last;
        }

        int count() {
            return seen.size();
        }

    }

    private static final class Lateness {

        private volatile long[] values = new long[0];

        private final AtomicLong size = new AtomicLong();

        private volatile CountDownLatch latch = new CountDownLatch(0);

        void reset(int expected) {
            values = new long[expected * 2];
            size.set(0);
            latch = new CountDownLatch(expected);
        }

        void record(long lateness) {
            long index = size.getAndIncrement();
            if (index < values.length) {
                values[(int) index] = lateness;
            }
            latch.countDown();
        }

        void await(Duration timeout) throws InterruptedException {
            latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        long[] sorted() {
            long[] copy = Arrays.copyOf(values, (int) Math.min(size.get(), values.length));
            Arrays.sort(copy);
            return copy;
        }

    }

    // ---------------------------------------------------------------- set-up

    private static EmbeddedRocketMQBroker broker(long precisionMs) {
        EmbeddedRocketMQBroker.Builder builder = EmbeddedRocketMQBroker.builder()
            .timerPrecision(Duration.ofMillis(precisionMs));
        for (String topic : TOPICS) {
            builder.topic(topic, TopicMessageType.DELAY);
        }
        log("Starting an embedded server at " + precisionMs + " ms timer precision");
        return builder.build().start();
    }

    private static ConfigurableApplicationContext library(EmbeddedRocketMQBroker broker, String producer, String group,
            boolean listen) {
        return library(broker, producer, group, listen, false);
    }

    /**
     * An application of the library; {@code observed}: with Spring Boot's meter registry (a simple one) and the
     * observation registry it configures to time every observation, as an application with actuator has them.
     */
    private static ConfigurableApplicationContext library(EmbeddedRocketMQBroker broker, String producer, String group,
            boolean listen, boolean observed) {
        List<String> properties = new ArrayList<>(List.of(
            "mqs.ons.endpoints=" + broker.endpoints(),
            "mqs.ons.timer-precision=" + broker.timerPrecision().toMillis() + "ms",
            "mqs.ons.producers.bench-burst.topic=bench_burst_lib",
            "mqs.ons.producers.bench-burst.tag=bench",
            "mqs.ons.producers.bench-send.topic=bench_send",
            "mqs.ons.producers.bench-send.tag=bench",
            "mqs.ons.producers.bench-consume-lib.topic=bench_consume_lib",
            "mqs.ons.producers.bench-consume-lib.tag=bench",
            "mqs.ons.producers.bench-consume-obs.topic=bench_consume_obs",
            "mqs.ons.producers.bench-consume-obs.tag=bench",
            "mqs.ons.producers.bench-consume-ctl.topic=bench_consume_ctl",
            "mqs.ons.producers.bench-consume-ctl.tag=bench",
            "mqs.ons.producers.bench-lateness.topic=bench_lateness_lib",
            "mqs.ons.producers.bench-lateness.tag=bench",
            "mqs.ons.producers.bench-retry.topic=bench_retry",
            "mqs.ons.producers.bench-retry.tag=bench",
            "mqs.ons.producers.bench-retry.delays=1s"));
        if (!observed) {
            properties.add(WITHOUT_OBSERVABILITY);
        }

        if (listen) {
            properties.add("bench.producer=" + producer);
            properties.add("bench.group=" + group);
        }
        return new SpringApplicationBuilder(listen ? ListenerApp.class : SenderApp.class)
            .web(WebApplicationType.NONE)
            .properties(properties.toArray(String[]::new))
            .run();
    }

    static Producer rawProducer(EmbeddedRocketMQBroker broker) throws Exception {
        return PROVIDER.newProducerBuilder().setClientConfiguration(rawConfiguration(broker)).setTopics(TOPICS).build();
    }

    private interface RawHandler {
        void handle(String id, long due);
    }

    private static PushConsumer rawConsumer(EmbeddedRocketMQBroker broker, String topic, String group, RawHandler handler)
            throws Exception {
        return PROVIDER.newPushConsumerBuilder()
            .setClientConfiguration(rawConfiguration(broker))
            .setConsumerGroup(group)
            .setSubscriptionExpressions(Map.of(topic, new FilterExpression("*", FilterExpressionType.TAG)))
            .setMessageListener(view -> {
                ByteBuffer body = view.getBody();
                byte[] bytes = new byte[body.remaining()];
                body.duplicate().get(bytes);
                // Equal work to the library's: the body is read into the payload type.
                Payload payload = JSON.parseObject(bytes, Payload.class);
                handler.handle(payload.id(), view.getDeliveryTimestamp().orElse(0L));
                return ConsumeResult.SUCCESS;
            })
            .build();
    }

    private static ClientConfiguration rawConfiguration(EmbeddedRocketMQBroker broker) {
        return ClientConfiguration.newBuilder().setEndpoints(broker.endpoints()).enableSsl(false)
            .setRequestTimeout(Duration.ofSeconds(3)).build();
    }

    static Message rawMessage(String topic, String id, long deliveryTimestamp) {
        return PROVIDER.newMessageBuilder().setTopic(topic).setTag("bench").setKeys(id)
            .setBody(JSON.toJSONBytes(Payload.of(id))).setDeliveryTimestamp(deliveryTimestamp).build();
    }

    // ---------------------------------------------------------------- output

    private void row(String scenario, List<Double> library, List<Double> raw) {
        double lib = Stats.median(library);
        double rawMedian = Stats.median(raw);
        String ratio = rawMedian == 0 ? "-" : String.format(Locale.ROOT, "%.2f", lib / rawMedian);
        String line = String.format(Locale.ROOT, "| %s | %s | %s | %s |", scenario, number(lib), number(rawMedian), ratio);
        rows.add(line);
        log(line + "   rounds: library " + library + ", raw " + raw);
    }

    /** Medians of the observed, plain and control applications: on / off, and control / off as the noise. */
    private void overheadRow(String scenario, List<List<Double>> rates) {
        double on = Stats.median(rates.get(0));
        double off = Stats.median(rates.get(1));
        double control = Stats.median(rates.get(2));
        String line = String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %.3f |", scenario, number(on), number(off),
            on / off, control / off);
        overheadRows.add(line);
        log(line + "   rounds: on " + rates.get(0) + ", off " + rates.get(1) + ", control " + rates.get(2));
    }

    static String number(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String describe(long[] sorted) {
        return String.format(Locale.ROOT, "n=%d p50=%d p99=%d max=%d early=%d", sorted.length,
            Stats.percentile(sorted, 50), Stats.percentile(sorted, 99), Stats.percentile(sorted, 100),
            Arrays.stream(sorted).filter(v -> v < 0).count());
    }

    static void log(String line) {
        System.out.println("[bench " + Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime()).toSeconds()
            + "s] " + line);
    }

    /** The journal's scenarios have a database; the others have none, so Spring Boot must not make a DataSource. */
    static final String NO_DATASOURCE = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration(excludeName = NO_DATASOURCE)
    static class SenderApp {

    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration(excludeName = NO_DATASOURCE)
    @Import(BenchListener.class)
    static class ListenerApp {

    }

}
