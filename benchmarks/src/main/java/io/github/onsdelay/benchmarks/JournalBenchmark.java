package io.github.onsdelay.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import io.github.onsdelay.benchmarks.BenchmarkMain.Arrival;
import io.github.onsdelay.benchmarks.peers.Stats;
import io.github.onsdelay.benchmarks.peers.Throughput;
import io.github.onsdelay.benchmarks.peers.Throughput.Measured;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.producer.SendResult;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the journal costs, on a real PostgreSQL (zonky's binaries) and the benchmark's embedded server, in one run.
 * <ul>
 * <li>Sends: a transaction that writes one business row and sends, through the outbox (the message is a row of
 * that transaction, sent right after the commit and marked sent) against the same transaction followed by a plain
 * send, as an application without the journal does it; throughput and the caller's latency, from 1 and 4
 * threads, the two taking turns.</li>
 * <li>Handlers: bursts of messages already due to a listener that handles once against one that does not, both
 * writing one row per message.</li>
 * </ul>
 */
final class JournalBenchmark {

    private final EmbeddedRocketMQBroker broker;

    private final Duration window;

    private final int rounds;

    private final int messages;

    private final List<String> rows;

    JournalBenchmark(EmbeddedRocketMQBroker broker, Duration window, int rounds, int messages, List<String> rows) {
        this.broker = broker;
        this.window = window;
        this.rounds = rounds;
        this.messages = messages;
        this.rows = rows;
    }

    void run() throws Exception {
        BenchmarkMain.log("Starting an embedded PostgreSQL");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1")
                .start();
                ConfigurableApplicationContext app = application(postgres);
                Producer loader = BenchmarkMain.rawProducer(broker)) {
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            String version = jdbc.queryForObject("SHOW server_version", String.class);
            BenchmarkMain.log("PostgreSQL " + version);
            rows.add("PostgreSQL " + version + " (embedded, default settings, on this machine), a HikariCP pool of 10.");
            rows.add("");
            rows.add("| scenario | through the journal (median) | without it (median) | journal / without |");
            rows.add("|---|---|---|---|");
            sends(app, jdbc);
            handlers(jdbc, loader);
        }
    }

    private void sends(ConfigurableApplicationContext app, JdbcTemplate jdbc) throws Exception {
        TransactionTemplate transaction = new TransactionTemplate(app.getBean(PlatformTransactionManager.class));
        DelayProducer producer = app.getBean("bench-journal", DelayProducer.class);
        AtomicLong ids = new AtomicLong();
        Throughput.Operation outbox = () -> {
            String id = "j" + ids.incrementAndGet();
            SendResult result = transaction.execute(status -> {
                jdbc.update("INSERT INTO bench_order (id) VALUES (?)", id);
                return producer.send(DelayMessage.of(Payload.of(id)).withKey(id));
            });
            if (result == null || !result.pending()) {
                throw new IllegalStateException("The send in a transaction did not go through the outbox");
            }
        };
        Throughput.Operation plain = () -> {
            String id = "p" + ids.incrementAndGet();
            transaction.executeWithoutResult(status -> jdbc.update("INSERT INTO bench_order (id) VALUES (?)", id));
            producer.send(DelayMessage.of(Payload.of(id)).withKey(id));
        };
        for (int threads : new int[] {1, 4}) {
            Throughput.measure(outbox, threads, window);
            Throughput.measure(plain, threads, window);
            List<Double> outboxRates = new ArrayList<>();
            List<Double> plainRates = new ArrayList<>();
            List<Long> outboxLatencies = new ArrayList<>();
            List<Long> plainLatencies = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                for (int turn = 0; turn < 2; turn++) {
                    boolean outboxTurn = (round + turn) % 2 == 0;
                    Measured measured = Throughput.measure(outboxTurn ? outbox : plain, threads, window);
                    (outboxTurn ? outboxRates : plainRates).add(measured.rate());
                    (outboxTurn ? outboxLatencies : plainLatencies).addAll(measured.latencies());
                }
            }
            long[] outboxSorted = sorted(outboxLatencies);
            long[] plainSorted = sorted(plainLatencies);
            row("Sync send in a transaction with one insert, " + threads + " thread(s) (msgs/s)",
                Stats.median(outboxRates), Stats.median(plainRates));
            row("  caller's latency p50, " + threads + " thread(s) (ms)", millis(Stats.percentile(outboxSorted, 50)),
                millis(Stats.percentile(plainSorted, 50)));
            row("  caller's latency p99, " + threads + " thread(s) (ms)", millis(Stats.percentile(outboxSorted, 99)),
                millis(Stats.percentile(plainSorted, 99)));
        }
        Integer pending = jdbc.queryForObject("SELECT COUNT(*) FROM ons_delay_outbox WHERE state = 'PENDING'",
            Integer.class);
        Integer sent = jdbc.queryForObject("SELECT COUNT(*) FROM ons_delay_outbox WHERE state = 'SENT'", Integer.class);
        BenchmarkMain.log("Outbox after the send rows: " + sent + " sent, " + pending + " pending");
        if (pending != null && pending > 0) {
            BenchmarkMain.log("warning: " + pending + " outbox rows were left for the relay");
        }
    }

    private void handlers(JdbcTemplate jdbc, Producer loader) throws Exception {
        Arrival on = new Arrival();
        Arrival off = new Arrival();
        JournalBenchListeners.arrived = id -> (id.startsWith("n") || id.endsWith("idem_on") ? on : off).arrived(id);
        BenchmarkMain.warmUp(loader, "bench_idem_on", on);
        BenchmarkMain.warmUp(loader, "bench_idem_off", off);
        BenchmarkMain.burst(loader, "bench_idem_on", on, "nw", messages);
        BenchmarkMain.burst(loader, "bench_idem_off", off, "fw", messages);
        List<Double> onRates = new ArrayList<>();
        List<Double> offRates = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (int turn = 0; turn < 2; turn++) {
                if ((round + turn) % 2 == 0) {
                    onRates.add(BenchmarkMain.burst(loader, "bench_idem_on", on, "n" + round + "-", messages));
                }
                else {
                    offRates.add(BenchmarkMain.burst(loader, "bench_idem_off", off, "f" + round + "-", messages));
                }
            }
        }
        row("Handler writing one row, idempotent on / off, " + messages + " already due per burst (msgs/s)",
            Stats.median(onRates), Stats.median(offRates));
        Integer handled = jdbc.queryForObject("SELECT COUNT(*) FROM ons_delay_handled", Integer.class);
        BenchmarkMain.log("Handle-once records: " + handled + "; rounds on " + onRates + ", off " + offRates);
    }

    private ConfigurableApplicationContext application(EmbeddedPostgres postgres) {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(JournalApp.class)
            .web(WebApplicationType.NONE)
            .properties(
                "mqs.ons.endpoints=" + broker.endpoints(),
                "mqs.ons.timer-precision=" + broker.timerPrecision().toMillis() + "ms",
                "spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "spring.datasource.username=postgres",
                "mqs.ons.jdbc.initialize-schema=always",
                "mqs.ons.producers.bench-journal.topic=bench_journal",
                "mqs.ons.producers.bench-journal.tag=bench",
                "mqs.ons.producers.bench-idem-on.topic=bench_idem_on",
                "mqs.ons.producers.bench-idem-on.tag=bench",
                "mqs.ons.producers.bench-idem-off.topic=bench_idem_off",
                "mqs.ons.producers.bench-idem-off.tag=bench",
                BenchmarkMain.WITHOUT_OBSERVABILITY)
            .run();
        JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
        jdbc.execute("CREATE TABLE bench_order (id VARCHAR(64) PRIMARY KEY)");
        jdbc.execute("CREATE TABLE bench_handled (id VARCHAR(64) NOT NULL)");
        return app;
    }

    // ---------------------------------------------------------------- measurement

    private static long[] sorted(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    private void row(String scenario, double journal, double without) {
        boolean small = journal < 10 && without < 10;
        String line = String.format(Locale.ROOT, "| %s | %s | %s | %.2f |", scenario,
            small ? String.format(Locale.ROOT, "%.2f", journal) : BenchmarkMain.number(journal),
            small ? String.format(Locale.ROOT, "%.2f", without) : BenchmarkMain.number(without), journal / without);
        rows.add(line);
        BenchmarkMain.log(line);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(JournalBenchListeners.class)
    static class JournalApp {

    }

}
