package io.github.onsdelay.benchmarks;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Counts distinct ids until a target is reached, remembering when the last one came. */
final class Arrival {

    private volatile Set<String> seen = ConcurrentHashMap.newKeySet();

    private volatile CountDownLatch latch = new CountDownLatch(0);

    private volatile long last;

    void reset(int expected) {
        seen = ConcurrentHashMap.newKeySet();
        latch = new CountDownLatch(expected);
    }

    /** Whether {@code id} is new. */
    boolean arrived(String id) {
        if (seen.add(id)) {
            last = System.currentTimeMillis();
            latch.countDown();
            return true;
        }
        return false;
    }

    boolean await(Duration timeout) throws InterruptedException {
        return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    long lastArrival() {
        return last;
    }

    int count() {
        return seen.size();
    }

}
