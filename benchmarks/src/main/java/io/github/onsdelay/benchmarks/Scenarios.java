package io.github.onsdelay.benchmarks;

import java.util.List;

/**
 * Every scenario, in the order of a run: the order of the rows in BENCHMARKS.md's tables. Each asks for the timer
 * precision it needs (100 ms, or the stock 1000 ms for midnight, the flash sale and the last two lateness rows), and
 * {@link EmbeddedServers} keeps a server for the next scenario at the same precision.
 */
final class Scenarios {

    private Scenarios() {
    }

    /** The full run: every scenario but {@code observation-cost}, which {@code observability} runs last. */
    static List<Scenario> fullRun() {
        return all().stream().filter(scenario -> !(scenario instanceof ObservationCostBenchmark)).toList();
    }

    /**
     * Those named, in the run's order, each once; a name that is none of {@link #names()} is an
     * {@link IllegalArgumentException} that lists them.
     */
    static List<Scenario> named(List<String> names) {
        for (String name : names) {
            if (!names().contains(name)) {
                throw new IllegalArgumentException("--only=" + String.join(",", names) + ": no scenario is named '"
                    + name + "'; the scenarios are: " + String.join(", ", names()));
            }
        }
        return all().stream().filter(scenario -> names.contains(scenario.name())).toList();
    }

    /** What {@code --only=} accepts, in the run's order. */
    static List<String> names() {
        return all().stream().map(Scenario::name).toList();
    }

    private static List<Scenario> all() {
        return List.of(new SendBenchmark(), new ConsumeBenchmark(), new ObservabilityBenchmark(),
            new ObservationCostBenchmark(), new LatenessBenchmark(100, false), new BurstBenchmark(),
            new MidnightBenchmark(), new FlashSaleBenchmark(), new RetryBenchmark(), new JournalBenchmark(),
            new LatenessBenchmark(1000, false), new LatenessBenchmark(1000, true), new FirstSecondBenchmark(), new TlsBenchmark(),
            new CapacityBenchmark());
    }

}
