package io.github.onsdelay.benchmarks;

import java.lang.management.ManagementFactory;

/** Samples the JVM's used heap every 100 ms between a start and a stop, and keeps the peak. */
final class HeapSampler {

    private volatile boolean running;

    private volatile long peak;

    void start() {
        running = true;
        Thread thread = new Thread(() -> {
            while (running) {
                peak = Math.max(peak, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(100);
                }
                catch (InterruptedException ex) {
                    return;
                }
            }
        }, "heap-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        running = false;
    }

    long peakMb() {
        return peak >> 20;
    }

}
