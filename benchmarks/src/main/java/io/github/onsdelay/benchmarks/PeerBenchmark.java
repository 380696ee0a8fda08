package io.github.onsdelay.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.github.onsdelay.benchmarks.peers.Peer;
import io.github.onsdelay.benchmarks.peers.PeerResult;
import io.github.onsdelay.benchmarks.peers.PeerScenarios;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.embedded.TopicMessageType;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;

/**
 * ons-delay against the libraries users would pick instead, in one run, each on its real server started here on
 * 127.0.0.1 and stopped after it: ons-delay and rocketmq-spring (child JVM) on one embedded RocketMQ at the stock
 * 1000 ms timer precision, spring-kafka on an embedded Kafka, Redisson on Debian's redis-server, JobRunr and
 * db-scheduler on an embedded PostgreSQL at two poll intervals each. Every peer runs {@link PeerScenarios}; a peer that fails is reported
 * as failed and the run goes on. Prints three tables and writes them to {@code benchmarks/target/peer-results.md}.
 * Run: {@code benchmarks/run-peers} ({@code --quick} for a smoke run, {@code --peer=NAME} for the peers whose name
 * starts with NAME).
 */
final class PeerBenchmark {

    private final boolean quick;

    private final PeerScenarios scenarios;

    private final List<PeerResult> results = new ArrayList<>();

    /** Only the peers whose name starts with this ({@code --peer=kafka}), or all. */
    private final @Nullable String only;

    PeerBenchmark(boolean quick, @Nullable String only) {
        this.quick = quick;
        this.only = only == null ? null : only.toLowerCase(Locale.ROOT);
        this.scenarios = new PeerScenarios(quick, BenchLog::log);
    }

    private boolean wanted(String... names) {
        return only == null || Arrays.stream(names).anyMatch(name -> name.toLowerCase(Locale.ROOT).startsWith(only));
    }

    void run(String machine) throws Exception {
        long began = System.nanoTime();
        EmbeddedRocketMQBroker.Builder builder = EmbeddedRocketMQBroker.builder().timerPrecision(Duration.ofMillis(1000));
        for (String topic : List.of(OnsDelayPeer.DELAY_TOPIC, OnsDelayPeer.RETRY_TOPIC, "peer_rmqspring_delay")) {
            builder.topic(topic, TopicMessageType.DELAY);
        }
        builder.topic("peer_rmqspring_retry", TopicMessageType.NORMAL);
        if (wanted("ons-delay", "rocketmq-spring")) {
            BenchLog.log("Starting an embedded RocketMQ at 1000 ms timer precision");
            try (EmbeddedRocketMQBroker broker = builder.build().start()) {
                if (wanted("ons-delay")) {
                    measure(new OnsDelayPeer(broker), true);
                }
                if (wanted("rocketmq-spring")) {
                    measure("rocketmq-spring", () -> RocketMQSpringChild.run(broker, quick));
                }
            }
        }
        if (wanted("spring-kafka")) {
            measure(new KafkaPeer(null), false);
            measure(new KafkaPeer(10), true);
        }
        if (wanted("redisson")) {
            measure(new RedissonPeer(), true);
        }
        if (wanted("jobrunr", "db-scheduler")) {
            BenchLog.log("Starting an embedded PostgreSQL");
            try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start()) {
                if (wanted("jobrunr")) {
                    measure(new JobRunrPeer(postgres, Duration.ofSeconds(15)), false);
                    measure(new JobRunrPeer(postgres, Duration.ofSeconds(5)), true);
                }
                if (wanted("db-scheduler")) {
                    measure(new DbSchedulerPeer(postgres, Duration.ofSeconds(10)), false);
                    measure(new DbSchedulerPeer(postgres, Duration.ofMillis(100)), true);
                }
            }
        }
        String tables = tables();
        String took = "Done in " + Duration.ofNanos(System.nanoTime() - began).toSeconds() + " s";
        System.out.println();
        System.out.println("Machine: " + machine);
        System.out.println(tables);
        Path out = Path.of("benchmarks", "target", "peer-results.md");
        if (Files.isDirectory(out.getParent())) {
            Files.writeString(out, "Machine: " + machine + "\n" + took + "\n\n" + tables + "\n");
        }
        BenchLog.log(took);
    }

    /** {@code heavy}: with the flash sale and midnight, which run once per library (at its shortest setting). */
    private void measure(Peer peer, boolean heavy) {
        measure(peer.name(), () -> scenarios.run(peer, heavy));
    }

    /** Runs one peer; a peer that fails is reported as failed and the run goes on. */
    private void measure(String name, Callable<PeerResult> run) {
        BenchLog.log("Peer " + name);
        try {
            results.add(run.call());
        }
        catch (Exception ex) {
            BenchLog.log("Peer " + name + " failed: " + ex);
            ex.printStackTrace(System.out);
            results.add(new PeerResult().put("name", name).put("failed", String.valueOf(ex)));
        }
    }

    private String tables() {
        int n = scenarios.messages();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Delayed delivery: %,d bodies sent over %s s on 4 threads, each due 2-10 s "
            + "after its send; lateness = handler start - due (ms)", n, quick ? "5" : "20"));
        lines.add("");
        lines.add("| peer | p50 | p99 | max | early | earliest | handled | duplicates |");
        lines.add("|---|---|---|---|---|---|---|---|");
        for (PeerResult result : results) {
            lines.add(row(result, "lateness", "lateness.p50", "lateness.p99", "lateness.max", "lateness.early",
                "lateness.earliest", "lateness.handled", "lateness.duplicates"));
        }
        lines.add("");
        lines.add(String.format(Locale.ROOT, "Retry pipeline: %,d bodies sent at once, each failing on its first delivery, "
            + "to be handled again 1 s later", n));
        lines.add("");
        lines.add("| peer | all succeeded after (s) | failure to success p50 (ms) | p99 (ms) | lost | duplicates |");
        lines.add("|---|---|---|---|---|---|");
        for (PeerResult result : results) {
            lines.add(row(result, "retry", "retry.seconds", "retry.gap.p50", "retry.gap.p99", "retry.lost",
                "retry.duplicates"));
        }
        lines.add("");
        lines.add(String.format(Locale.ROOT, "Flash sale: %,d orders placed over 10 s on %d threads (synchronous sends), "
            + "each due %d s after its send; lateness = handler start - due (ms)", scenarios.orders(),
            PeerScenarios.FLASH_THREADS, scenarios.flashDelay().toSeconds()));
        lines.add("");
        lines.add("| peer | p50 | p99 | max | early | handled | lost | duplicates | sends took (s) |");
        lines.add("|---|---|---|---|---|---|---|---|---|");
        for (PeerResult result : results) {
            lines.add(row(result, "flash", "flash.p50", "flash.p99", "flash.max", "flash.early", "flash.handled",
                "flash.lost", "flash.duplicates", "flash.send.seconds"));
        }
        lines.add("");
        lines.add(String.format(Locale.ROOT, "Midnight: %,d bodies due at one instant %d s after the first send, sent as "
            + "fast as %d synchronous senders go; lateness = handler start - the instant (ms), max = the last handler",
            scenarios.orders(), scenarios.midnightAhead().toSeconds(), PeerScenarios.FLASH_THREADS));
        lines.add("");
        lines.add("| peer | p50 | p99 | max | early | handled | lost | duplicates | sends took (s) | last send ahead (s) |");
        lines.add("|---|---|---|---|---|---|---|---|---|---|");
        for (PeerResult result : results) {
            lines.add(row(result, "midnight", "midnight.p50", "midnight.p99", "midnight.max", "midnight.early",
                "midnight.handled", "midnight.lost", "midnight.duplicates", "midnight.send.seconds",
                "midnight.ahead.seconds"));
        }
        lines.add("");
        lines.add("Send throughput: delayed sends (due in an hour), 1 KB bodies (msgs/s): synchronous from 1 and 4 threads; "
            + "the peer's own asynchronous or batch send from 1 thread, " + PeerScenarios.ASYNC_CHUNK
            + " bodies a call, at most " + PeerScenarios.ASYNC_IN_FLIGHT + " calls unanswered");
        lines.add("");
        lines.add("| peer | sync, 1 thread | sync, 4 threads | async or batch, 1 thread | its API |");
        lines.add("|---|---|---|---|---|");
        for (PeerResult result : results) {
            lines.add(row(result, "lateness", "send.1", "send.4", "send.async", "send.async.api"));
        }
        lines.add("");
        lines.add("Peers as run:");
        lines.add("");
        for (PeerResult result : results) {
            String wall = result.get("wall.seconds", null);
            lines.add("- **" + result.get("name", "?") + "**" + (wall == null ? "" : " (" + wall + " s)") + ": "
                + result.get("settings", "") + note(result, "retry.note"));
        }
        return String.join("\n", lines);
    }

    private static String row(PeerResult result, String scenario, String... figures) {
        StringBuilder row = new StringBuilder("| " + result.get("name", "?") + " |");
        String failed = result.get("failed", null);
        String cannot = result.get(scenario + ".cannot", null);
        String skipped = result.get(scenario + ".skipped", null);
        if (failed != null || cannot != null || skipped != null) {
            row.append(' ').append(failed != null ? "failed: " + failed : cannot != null ? "cannot: " + cannot : skipped)
                .append(" |");
            row.append(" |".repeat(figures.length - 1));
            return row.toString();
        }
        for (String figure : figures) {
            row.append(' ').append(result.get(figure, "-")).append(" |");
        }
        return row.toString();
    }

    private static String note(PeerResult result, String name) {
        String note = result.get(name, null);
        return note == null ? "" : "; retry " + note;
    }

}
