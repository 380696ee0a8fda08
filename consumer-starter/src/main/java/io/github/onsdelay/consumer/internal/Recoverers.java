package io.github.onsdelay.consumer.internal;

import java.util.List;
import java.util.function.Consumer;

import io.github.onsdelay.consumer.Exhaustion;
import io.github.onsdelay.consumer.ExhaustionRecoverer;

/**
 * What runs for an exhausted message, in order: the container factory's {@link ExhaustionRecoverer}s (the
 * dead-letter forward and the journal's record when there are those, then the application's own), then the
 * listener's own exhaustion handler ({@code @OnsExhausted}, the {@code ExhaustionHandler} bean, or a WARN line).
 * The first that throws stops the rest; the caller gives the delivery back, and the next delivery runs them all
 * again: each runs at least once.
 */
final class Recoverers {

    private final List<ExhaustionRecoverer> recoverers;

    private final Consumer<Exhaustion> exhaustionHandler;

    Recoverers(List<ExhaustionRecoverer> recoverers, Consumer<Exhaustion> exhaustionHandler) {
        this.recoverers = List.copyOf(recoverers);
        this.exhaustionHandler = exhaustionHandler;
    }

    /** Runs every recoverer, then the exhaustion handler; throws what the first failing one threw. */
    void recover(Exhaustion exhaustion) {
        for (ExhaustionRecoverer recoverer : recoverers) {
            recoverer.recover(exhaustion);
        }
        exhaustionHandler.accept(exhaustion);
    }

}
