package io.github.onsdelay.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.onsdelay.benchmarks.peers.Stats;
import io.github.onsdelay.benchmarks.peers.Throughput;
import io.github.onsdelay.benchmarks.peers.Throughput.Measured;
import io.github.onsdelay.benchmarks.peers.Turns;
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
 * What the journal costs, on a real PostgreSQL (zonky's binaries) and the benchmark's server at 100 ms timer
 * precision, in one run.
 * <ul>
 * <li>Sends: a transaction that writes one business row and sends, through the outbox (the message is a row of
 * that transaction, sent right after the commit and marked sent) against the same transaction followed by a plain
 * send, as an application without the journal does it; throughput and the caller's latency, from 1 and 4
 * threads, the two taking turns.</li>
 * <li>Handlers: bursts of messages already due to a listener that handles once against one that does not, both
 * writing one row per message.</li>
 * </ul>
 */
final class JournalBenchmark implements Scenario {

    @Override
    public String name() {
        return "journal";
    }

    @Override
    public void run(Workload workload, EmbeddedServers servers, Report report) throws Exception {
        EmbeddedRocketMQBroker broker = servers.at(100);
        BenchLog.log("Starting an embedded PostgreSQL");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1")
                .start();
                ConfigurableApplicationContext app = application(broker, postgres);
                Producer loader = RawClient.producer(broker)) {
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            String version = jdbc.queryForObject("SHOW server_version", String.class);
            BenchLog.log("PostgreSQL " + version);
            report.caption(Report.Table.JOURNAL,
                "PostgreSQL " + version + " (embedded, default settings, on this machine), a HikariCP pool of 10.");
            sends(app, jdbc, workload, report);
            handlers(jdbc, loader, workload, report);
        }
    }

    private static void sends(ConfigurableApplicationContext app, JdbcTemplate jdbc, Workload workload, Report report)
            throws Exception {
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
            int senderThreads = threads;
            List<List<Measured>> measured = Turns.take(1, workload.rounds(), List.of(
                () -> Throughput.measure(outbox, senderThreads, workload.window()),
                () -> Throughput.measure(plain, senderThreads, workload.window())));
            long[] outboxSorted = latencies(measured.get(0));
            long[] plainSorted = latencies(measured.get(1));
            report.journal("Sync send in a transaction with one insert, " + threads + " thread(s) (msgs/s)",
                Stats.median(rates(measured.get(0))), Stats.median(rates(measured.get(1))));
            report.journal("  caller's latency p50, " + threads + " thread(s) (ms)",
                millis(Stats.percentile(outboxSorted, 50)), millis(Stats.percentile(plainSorted, 50)));
            report.journal("  caller's latency p99, " + threads + " thread(s) (ms)",
                millis(Stats.percentile(outboxSorted, 99)), millis(Stats.percentile(plainSorted, 99)));
        }
        Integer pending = jdbc.queryForObject("SELECT COUNT(*) FROM ons_delay_outbox WHERE state = 'PENDING'",
            Integer.class);
        Integer sent = jdbc.queryForObject("SELECT COUNT(*) FROM ons_delay_outbox WHERE state = 'SENT'", Integer.class);
        BenchLog.log("Outbox after the send rows: " + sent + " sent, " + pending + " pending");
        if (pending != null && pending > 0) {
            BenchLog.log("warning: " + pending + " outbox rows were left for the relay");
        }
    }

    private static void handlers(JdbcTemplate jdbc, Producer loader, Workload workload, Report report) throws Exception {
        int messages = workload.journalMessages();
        Arrival on = new Arrival();
        Arrival off = new Arrival();
        JournalBenchListeners.arrived = id -> (id.startsWith("n") || id.endsWith("idem_on") ? on : off).arrived(id);
        DueBurst.warmUp(loader, "bench_idem_on", on);
        DueBurst.warmUp(loader, "bench_idem_off", off);
        AtomicInteger bursts = new AtomicInteger();
        List<List<Double>> rates = Turns.take(1, workload.rounds(), List.of(
            () -> DueBurst.rate(loader, "bench_idem_on", on, "n" + bursts.incrementAndGet() + "-", messages),
            () -> DueBurst.rate(loader, "bench_idem_off", off, "f" + bursts.incrementAndGet() + "-", messages)));
        report.journal("Handler writing one row, idempotent on / off, " + messages + " already due per burst (msgs/s)",
            Stats.median(rates.get(0)), Stats.median(rates.get(1)));
        Integer handled = jdbc.queryForObject("SELECT COUNT(*) FROM ons_delay_handled", Integer.class);
        BenchLog.log("Handle-once records: " + handled + "; rounds on " + rates.get(0) + ", off " + rates.get(1));
    }

    private static ConfigurableApplicationContext application(EmbeddedRocketMQBroker broker, EmbeddedPostgres postgres) {
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
                LibraryApplication.WITHOUT_OBSERVABILITY)
            .run();
        JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
        jdbc.execute("CREATE TABLE bench_order (id VARCHAR(64) PRIMARY KEY)");
        jdbc.execute("CREATE TABLE bench_handled (id VARCHAR(64) NOT NULL)");
        return app;
    }

    private static List<Double> rates(List<Measured> measured) {
        return measured.stream().map(Measured::rate).toList();
    }

    /** Every operation's duration of all rounds, nanoseconds, ascending. */
    private static long[] latencies(List<Measured> measured) {
        long[] sorted = measured.stream().flatMap(m -> m.latencies().stream()).mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(JournalBenchListeners.class)
    static class JournalApp {

    }

}
