package io.github.onsdelay.benchmarks.peers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TurnsTests {

    @Test
    void warmUpsGoInOrderAndUncountedThenWhoGoesFirstRotatesEachRound() throws Exception {
        List<String> order = new ArrayList<>();
        AtomicInteger clock = new AtomicInteger();
        List<Turns.Side<Integer>> sides = List.of("a", "b", "c").stream()
            .<Turns.Side<Integer>>map(name -> () -> {
                order.add(name);
                return clock.getAndIncrement();
            })
            .toList();

        List<List<Integer>> measured = Turns.take(2, 3, sides);

        assertThat(order).containsExactly("a", "b", "c", "a", "b", "c",
            "a", "b", "c", "b", "c", "a", "c", "a", "b");
        assertThat(measured).containsExactly(List.of(6, 11, 13), List.of(7, 9, 14), List.of(8, 10, 12));
    }

    @Test
    void twoSidesAlternateWhoGoesFirst() throws Exception {
        List<String> order = new ArrayList<>();
        List<Turns.Side<String>> sides = List.of(() -> {
            order.add("library");
            return "l";
        }, () -> {
            order.add("raw");
            return "r";
        });

        List<List<String>> measured = Turns.take(0, 4, sides);

        assertThat(order).containsExactly("library", "raw", "raw", "library", "library", "raw", "raw", "library");
        assertThat(measured).containsExactly(List.of("l", "l", "l", "l"), List.of("r", "r", "r", "r"));
    }

}
