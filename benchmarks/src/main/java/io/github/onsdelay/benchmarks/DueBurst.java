package io.github.onsdelay.benchmarks;

import java.time.Duration;
import java.util.concurrent.Semaphore;

import org.apache.rocketmq.client.apis.producer.Producer;

/**
 * A burst of messages the raw client sends to be due at one instant, a few seconds ahead, and the rate at which a
 * consumer handled them: the consume rows of every table.
 */
final class DueBurst {

    private DueBurst() {
    }

    /** One message, awaited: the consumer of {@code topic} has started. */
    static void warmUp(Producer loader, String topic, Arrival arrival) throws Exception {
        arrival.reset(1);
        loader.send(RawClient.message(topic, "warm-up-" + topic, System.currentTimeMillis()));
        if (!arrival.await(Duration.ofSeconds(60))) {
            throw new IllegalStateException("Consumer of " + topic + " did not start");
        }
    }

    /** {@code count} messages sent to be due at one instant; their rate from that instant until the last arrived. */
    static double rate(Producer loader, String topic, Arrival arrival, String prefix, int count) throws Exception {
        arrival.reset(count);
        long due = System.currentTimeMillis() + 3_000 + count / 10;
        Semaphore inFlight = new Semaphore(512);
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            loader.sendAsync(RawClient.message(topic, prefix + i, due)).whenComplete((receipt, ex) -> inFlight.release());
        }
        inFlight.acquire(512);
        inFlight.release(512);
        if (System.currentTimeMillis() > due) {
            BenchLog.log("warning: loading " + topic + " took past the due time");
        }
        if (!arrival.await(Duration.ofSeconds(120))) {
            BenchLog.log("warning: only " + arrival.count() + " of " + count + " arrived on " + topic);
        }
        double seconds = Math.max(1, arrival.lastArrival() - due) / 1000.0;
        return count / seconds;
    }

}
