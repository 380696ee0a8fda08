package io.github.onsdelay.benchmarks.peers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Medians and percentiles of measured values. */
public final class Stats {

    private Stats() {
    }

    public static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The nearest-rank percentile {@code p} (0-100) of ascending values; 0 when there are none. */
    public static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

}
