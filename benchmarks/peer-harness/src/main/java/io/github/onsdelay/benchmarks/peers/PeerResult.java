package io.github.onsdelay.benchmarks.peers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One peer's figures, by name ({@code lateness.p99}, {@code retry.seconds}, ...), in the order measured; written
 * as lines so that a peer in a child JVM can hand them to the benchmark on its standard output.
 */
public final class PeerResult {

    private static final String PREFIX = "PEER-RESULT|";

    private final Map<String, String> figures = new LinkedHashMap<>();

    public PeerResult put(String name, String value) {
        figures.put(name, value.replace('|', '/').replace('\n', ' '));
        return this;
    }

    /** The figure, or {@code fallback} when it was not measured. */
    public String get(String name, String fallback) {
        return figures.getOrDefault(name, fallback);
    }

    public Map<String, String> figures() {
        return Map.copyOf(figures);
    }

    /** One line per figure, each starting with a marker no log line has. */
    public List<String> toLines() {
        List<String> lines = new ArrayList<>();
        figures.forEach((name, value) -> lines.add(PREFIX + name + "|" + value));
        return lines;
    }

    /** Adds the figure of {@code line} if it is one of {@link #toLines()}; returns whether it was. */
    public boolean read(String line) {
        if (!line.startsWith(PREFIX)) {
            return false;
        }
        String rest = line.substring(PREFIX.length());
        int bar = rest.indexOf('|');
        figures.put(rest.substring(0, bar), rest.substring(bar + 1));
        return true;
    }

}
