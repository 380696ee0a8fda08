package io.github.onsdelay.consumer;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;

/**
 * A first send, tried until the server takes it, before a test's own sends: the first send of a cold client to a
 * broker that has just started may outlast its send timeout on a loaded machine (the route, the channel, the
 * server's own first request), and a test whose premise is timed sends must not start with that.
 */
final class Warmup {

    /** The key of the warm-up message; handlers of timed tests skip it. */
    static final String KEY = "warm-up";

    private Warmup() {
    }

    static void send(DelayProducer producer) {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            producer.send(DelayMessage.of(KEY).withKey(KEY));
            return true;
        });
    }

}
