package io.github.onsdelay.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.junit.jupiter.api.Test;

/** Reaching a client's channels, and bounding its close. No server runs here. */
class ClientConnectionsTests {

    @Test
    void theChannelsOfAClientOfThisVersionAreReachedThroughItsWrapperToo() throws Exception {
        // Built without topics, the producer contacts no server.
        Producer producer = ClientServiceProvider.loadService().newProducerBuilder()
            .setClientConfiguration(ClientConfiguration.newBuilder().setEndpoints("127.0.0.1:1").enableSsl(false).build())
            .build();
        Producer bounded = ClientConnections.boundedClose(producer, Duration.ofSeconds(5));
        try {
            assertThat(ClientConnections.reconnectNow(producer)).isTrue();
            assertThat(ClientConnections.reconnectNow(bounded)).isTrue();
        }
        finally {
            bounded.close();
        }
    }

    @Test
    void aClientOfAnotherShapeIsLeftAlone() {
        assertThat(ClientConnections.reconnectNow(new Object())).isFalse();
    }

    @Test
    void aCloseThatEndsIsWaitedFor() {
        AtomicBoolean closed = new AtomicBoolean();
        long began = System.nanoTime();
        ClientConnections.closeWithin(() -> closed.set(true), Duration.ofSeconds(5), "a client");
        assertThat(closed).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aCloseThatNeverEndsIsLeftAfterTheTimeoutAndTwoSecondsMore() {
        CountDownLatch never = new CountDownLatch(1);
        long began = System.nanoTime();
        ClientConnections.closeWithin(never::await, Duration.ofMillis(200), "a stuck client");
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(2_200)).isLessThan(Duration.ofSeconds(5));
    }

}
