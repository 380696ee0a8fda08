package io.github.onsdelay.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/** The benchmarks' progress on standard output, each line stamped with the JVM's uptime. */
final class BenchLog {

    private BenchLog() {
    }

    static void log(String line) {
        System.out.println("[bench " + Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime()).toSeconds()
            + "s] " + line);
    }

}
