package io.github.onsdelay.test;

import java.time.Duration;

/**
 * Timing tolerances of the integration tests, measured on a 2-core machine with the other core kept busy
 * (the whole suite run under {@code stress}-like load: a spinning process per core), with the embedded
 * server at its default 100 ms timer precision. Tests assert lateness below these, never speed.
 */
public final class Tolerances {

    /**
     * How late a handler may start after its due time. Measured under load with the delivery lead: p99 a few
     * milliseconds, worst seen about 250 ms during a garbage collection of the shared test JVM.
     */
    public static final Duration HANDLER_LATENESS = Duration.ofMillis(500);

    /**
     * The 99th percentile of handler lateness with the delivery lead, at the stock 1 s timer precision: measured
     * with the other core kept busy (see DeliveryLeadIntegrationTests for the figures). Without the lead the
     * median alone is about 500 ms.
     */
    public static final Duration LEAD_P99 = Duration.ofMillis(100);

    /**
     * How late the broker itself may release a timed message after its time, for messages a plain client
     * reads (no lead, no hold): one 100 ms slot plus the release pipeline, worst seen about 900 ms under load.
     */
    public static final Duration BROKER_LATENESS = Duration.ofMillis(1_500);

    private Tolerances() {
    }

}
