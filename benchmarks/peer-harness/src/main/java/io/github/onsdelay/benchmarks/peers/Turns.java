package io.github.onsdelay.benchmarks.peers;

import java.util.ArrayList;
import java.util.List;

/**
 * The benchmarks' rounds: sides measured against each other take turns, each side once a round, and who goes first
 * rotates from round to round, so that no side always meets a server fresh from another side's load.
 */
public final class Turns {

    private Turns() {
    }

    /** One measurement of one side (a window of sends, a burst consumed, ...). */
    @FunctionalInterface
    public interface Side<T> {

        T measure() throws Exception;

    }

    /**
     * Measures every side {@code warmUps} times in their order, not counted, so that all of them (and the shared
     * server) are compiled before anything counts; then {@code rounds} rounds, round {@code r} starting with side
     * {@code r % n} and going on in order. Returns each side's measurements, in the order of {@code sides}.
     */
    public static <T> List<List<T>> take(int warmUps, int rounds, List<Side<T>> sides) throws Exception {
        for (int warm = 0; warm < warmUps; warm++) {
            for (Side<T> side : sides) {
                side.measure();
            }
        }
        List<List<T>> measured = new ArrayList<>();
        for (int i = 0; i < sides.size(); i++) {
            measured.add(new ArrayList<>());
        }
        for (int round = 0; round < rounds; round++) {
            for (int turn = 0; turn < sides.size(); turn++) {
                int side = (round + turn) % sides.size();
                measured.get(side).add(sides.get(side).measure());
            }
        }
        return measured;
    }

}
