package io.github.onsdelay.consumer;

import java.util.List;

/**
 * How late a listener's handlers started after their due time, counted in buckets.
 *
 * @param upperBoundsMillis each bucket's upper bound in milliseconds (the last bucket has none: everything
 *     above the last bound)
 * @param counts handler runs per bucket: one more entry than {@code upperBoundsMillis}
 * @param maxMillis the latest start seen, in milliseconds
 */
public record LatenessHistogram(List<Long> upperBoundsMillis, List<Long> counts, long maxMillis) {

    public LatenessHistogram {
        upperBoundsMillis = List.copyOf(upperBoundsMillis);
        counts = List.copyOf(counts);
    }

    /** Handler runs counted. */
    public long total() {
        return counts.stream().mapToLong(Long::longValue).sum();
    }

}
