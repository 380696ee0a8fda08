package io.github.onsdelay.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.onsdelay.benchmarks.peers.Stats;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;

/**
 * The first second after start-up, at the stock 1000 ms precision: each round starts a new JVM for the library
 * and one for the raw client ({@link FirstSecondChild}, from this benchmark's own jar) against the warm server,
 * as a deploy does, and reads back the lateness of what it sent the moment it had started: the first message due
 * at once, the next ones due at once, ones due 300 ms ahead, retries due 200 ms after a failure, and, as the
 * control, messages due at once 5 s later, warm. Pooled over the rounds.
 */
final class FirstSecondBenchmark implements Scenario {

    static final Path JAR = Path.of("benchmarks", "target", "ons-delay-benchmarks.jar");

    /** The kinds of {@link FirstSecondChild}, in the table's order, with their rows' names. */
    private static final Map<String, String> KINDS = Map.of(
        "first", "the first, due at once, sent the moment the application had started (one per round)",
        "now", "due at once, sent in its first second (every 50 ms)",
        "soon", "due 300 ms after the send, sent in its first second",
        "retry", "a failure's attempt 1, due 200 ms after it (library only), in its first seconds",
        "warm", "due at once, sent 5 s after the start (the control)");

    @Override
    public String name() {
        return "first-second";
    }

    @Override
    public void run(Workload workload, EmbeddedServers servers, Report report) throws Exception {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: the first-second scenario starts its applications "
                + "from it; run the benchmark from the project's root directory, as README says");
        }
        EmbeddedRocketMQBroker broker = servers.at(1000);
        Map<String, Map<String, List<Long>>> sides = Map.of("library", new HashMap<>(), "raw", new HashMap<>());
        for (int round = 0; round < workload.rounds(); round++) {
            for (String side : List.of("library", "raw")) {
                Map<String, List<Long>> round1 = child(broker, side);
                round1.forEach((kind, values) -> sides.get(side).computeIfAbsent(kind, k -> new ArrayList<>())
                    .addAll(values));
                BenchLog.log("first-second round " + round + ", " + side + ": " + round1);
            }
        }
        for (String kind : List.of("first", "now", "soon", "retry", "warm")) {
            long[] lib = sorted(sides.get("library").get(kind));
            long[] raw = sorted(sides.get("raw").get(kind));
            report.row(Report.Table.FIRST_SECOND, String.format(Locale.ROOT, "| %s | %s | %s |", KINDS.get(kind),
                figures(lib), figures(raw)));
        }
        for (String side : List.of("library", "raw")) {
            report.caption(Report.Table.FIRST_SECOND, side + ": context or clients started in (ms) "
                + sides.get(side).get("started-ms") + "; the first three sends took (ms) "
                + sides.get(side).get("send-ms") + "; handled before due: " + sides.get(side).entrySet().stream()
                    .filter(entry -> KINDS.containsKey(entry.getKey()))
                    .mapToLong(entry -> entry.getValue().stream().filter(lateness -> lateness < 0).count()).sum()
                + "; not handled within 30 s: " + sides.get(side).getOrDefault("missing", List.of()));
        }
    }

    /** Runs one child and reads its lines: {@code kind value} for each figure it printed. */
    private static Map<String, List<Long>> child(EmbeddedRocketMQBroker broker, String side) throws Exception {
        List<String> command = List.of(ChildJvm.java(), "-Xmx1g", "-Dloader.main=" + FirstSecondChild.class.getName(),
            "-cp", JAR.toString(), "org.springframework.boot.loader.launch.PropertiesLauncher", "--side=" + side,
            "--endpoints=" + broker.endpoints());
        Map<String, List<Long>> figures = new HashMap<>();
        int exit = ChildJvm.run(command, "first-second " + side, line -> {
            if (!line.startsWith(FirstSecondChild.PREFIX)) {
                return false;
            }
            String[] parts = line.substring(FirstSecondChild.PREFIX.length()).split(" ");
            figures.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Long.parseLong(parts[parts.length - 1]));
            return true;
        });
        if (exit != 0 || !figures.containsKey("started-ms")) {
            throw new IllegalStateException("the first-second " + side + " JVM ended with exit code " + exit
                + " and no figures (its output is above)");
        }
        return figures;
    }

    private static long[] sorted(List<Long> values) {
        return values == null ? new long[0] : values.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** p50, p99 and max, or n/a when the side has none of this kind. */
    private static String figures(long[] sorted) {
        if (sorted.length == 0) {
            return "n/a | - | -";
        }
        return Stats.percentile(sorted, 50) + " | " + Stats.percentile(sorted, 99) + " | "
            + Stats.percentile(sorted, 100);
    }

}
