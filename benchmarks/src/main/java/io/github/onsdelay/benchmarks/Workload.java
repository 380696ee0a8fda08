package io.github.onsdelay.benchmarks;

import java.time.Duration;

/**
 * How much each scenario does: the full run's sizes, which BENCHMARKS.md's figures were measured with, or the smoke
 * run's ({@code --quick}), and the rounds ({@code --rounds=N}).
 *
 * @param rounds measured rounds of each scenario
 * @param window how long one throughput measurement lasts
 * @param consumeMessages messages per burst of the consume rows
 * @param burstMessages messages of the burst rows, all due at one instant
 * @param latenessMessages messages of each side per lateness round
 * @param latenessSpread the time over which a lateness round's messages are sent
 * @param retryMessages messages per round of the retry pipeline
 * @param costOperations observations per round of the cost row
 * @param flashSaleDelay how long after its send each flash-sale order is due (its 30 minutes, scaled)
 */
record Workload(int rounds, Duration window, int consumeMessages, int burstMessages, int latenessMessages,
        Duration latenessSpread, int retryMessages, int costOperations, Duration flashSaleDelay) {

    static Workload of(boolean quick, int rounds) {
        return new Workload(rounds,
            quick ? Duration.ofSeconds(2) : Duration.ofSeconds(5),
            quick ? 5_000 : 50_000,
            quick ? 10_000 : 100_000,
            quick ? 1_000 : 10_000,
            quick ? Duration.ofSeconds(5) : Duration.ofSeconds(20),
            quick ? 1_000 : 10_000,
            quick ? 200_000 : 1_000_000,
            quick ? Duration.ofSeconds(15) : Duration.ofSeconds(60));
    }

    /** Messages per burst of the journal's handler rows: a fifth of the consume rows'. */
    int journalMessages() {
        return consumeMessages / 5;
    }

    /** More, shorter turns than the other rows: a 3 % difference is within one window's noise on two cores. */
    int overheadRounds() {
        return rounds * 4;
    }

}
