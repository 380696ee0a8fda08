package io.github.onsdelay.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The benchmark's command line: {@code --quick} (a smaller smoke run), {@code --rounds=N} (default 3),
 * {@code --only=NAME[,NAME]} (those scenarios, see {@link Scenarios#names()}), or {@code --peers} with
 * {@code --peer=NAME} (the {@link PeerBenchmark}). Anything else is an {@link IllegalArgumentException} that says
 * what is wrong and what is valid, before anything runs.
 *
 * @param quick whether to run the smaller smoke sizes
 * @param rounds measured rounds of each scenario
 * @param only the scenarios named with {@code --only=}; empty: all of them
 * @param peers whether to run the peer benchmark instead
 * @param peer with {@code --peers}: only the peers whose name starts with this, or {@code null} for all
 */
record BenchmarkOptions(boolean quick, int rounds, List<String> only, boolean peers, @Nullable String peer) {

    static final String USAGE = "Usage: java -jar benchmarks/target/ons-delay-benchmarks.jar [--quick] [--rounds=N] "
        + "[--only=NAME[,NAME...]] | --peers [--quick] [--peer=NAME]";

    static BenchmarkOptions parse(String... args) {
        boolean quick = false;
        int rounds = 3;
        List<String> only = new ArrayList<>();
        boolean peers = false;
        String peer = null;
        for (String arg : args) {
            if (arg.equals("--quick")) {
                quick = true;
            }
            else if (arg.equals("--peers")) {
                peers = true;
            }
            else if (arg.startsWith("--rounds=")) {
                rounds = rounds(arg.substring("--rounds=".length()));
            }
            else if (arg.startsWith("--only=")) {
                only.addAll(scenarios(arg.substring("--only=".length())));
            }
            else if (arg.startsWith("--peer=")) {
                peer = arg.substring("--peer=".length());
            }
            else {
                throw new IllegalArgumentException("Unknown argument '" + arg + "'. " + USAGE);
            }
        }
        if (peers && !only.isEmpty()) {
            throw new IllegalArgumentException("--only= selects scenarios of the run against the raw client, not "
                + "peers: with --peers, use --peer=NAME");
        }
        if (!peers && peer != null) {
            throw new IllegalArgumentException("--peer=" + peer + " needs --peers");
        }
        return new BenchmarkOptions(quick, rounds, List.copyOf(only), peers, peer);
    }

    /** What {@link #only} selects, in the run's order; all but those a scenario runs itself when empty. */
    List<Scenario> scenarios() {
        return only.isEmpty() ? Scenarios.fullRun() : Scenarios.named(only);
    }

    private static int rounds(String value) {
        try {
            int rounds = Integer.parseInt(value);
            if (rounds > 0) {
                return rounds;
            }
        }
        catch (NumberFormatException ex) {
            // reported below
        }
        throw new IllegalArgumentException("--rounds=" + value + ": the rounds must be a whole number of at least 1");
    }

    private static List<String> scenarios(String value) {
        List<String> names = Arrays.stream(value.split(",", -1)).map(String::trim).toList();
        Scenarios.named(names);
        return names;
    }

}
