package io.github.onsdelay.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * ons-delay against plain rocketmq-client-java on one embedded server, in one run: each {@link Scenario} runs the
 * library and the raw client alternately (or interleaved, for lateness), for several rounds, and reports medians
 * and the ratio library / raw; the tables are printed at the end and written to
 * {@code benchmarks/target/benchmark-results.md}. Run: {@code java -jar benchmarks/target/ons-delay-benchmarks.jar}
 * with the options of {@link BenchmarkOptions}. With {@code --peers}: the {@link PeerBenchmark} instead.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
        }
        catch (IllegalArgumentException ex) {
            System.err.println(ex.getMessage());
            System.exit(2);
            return;
        }
        if (options.peers()) {
            new PeerBenchmark(options.quick(), options.peer()).run(machine());
        }
        else {
            run(options.scenarios(), Workload.of(options.quick(), options.rounds()));
        }
        System.exit(0);
    }

    private static void run(List<Scenario> scenarios, Workload workload) throws Exception {
        long began = System.nanoTime();
        String machine = machine();
        BenchLog.log("Machine: " + machine + "; rounds: " + workload.rounds() + "; scenarios: "
            + String.join(", ", scenarios.stream().map(Scenario::name).toList()));
        Report report = new Report();
        try (EmbeddedServers servers = new EmbeddedServers()) {
            for (Scenario scenario : scenarios) {
                scenario.run(workload, servers, report);
            }
        }
        String tables = report.tables();
        System.out.println();
        System.out.println("Machine: " + machine);
        System.out.println(tables);
        Path out = Path.of("benchmarks", "target", "benchmark-results.md");
        if (Files.isDirectory(out.getParent())) {
            Files.writeString(out, "Machine: " + machine + "\n\n" + tables + "\n");
        }
        BenchLog.log("Done in " + Duration.ofNanos(System.nanoTime() - began).toSeconds() + " s");
    }

    private static String machine() {
        return String.format(Locale.ROOT, "%d cores, %s %s, max heap %d MB, %s %s",
            Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
            System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
            System.getProperty("os.name"), System.getProperty("os.arch"));
    }

}
