package io.github.onsdelay.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Bounding a close, and what is done with a client whose channels cannot be reached. No server runs here: a real
 * producer's channels are reached in the producer starter's {@code ClientConnectionsIntegrationTests}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClientConnectionsTests {

    @Test
    void anObjectThatIsNoRocketMQClientIsLeftAloneWithoutAWord(CapturedOutput output) {
        assertThat(ClientConnections.reconnectNow(new Object())).isZero();
        assertThat(output).doesNotContain("Cannot reach the gRPC channels");
    }

    @Test
    void aRocketMQClientOfAnotherShapeIsLeftAloneAndThatIsWarnedOfOnce(CapturedOutput output) {
        // A RocketMQ client object without the 5.2.0 client's fields, as an upgraded client would be.
        Object otherShape = ClientConfiguration.newBuilder().setEndpoints("127.0.0.1:1").build();

        assertThat(ClientConnections.reconnectNow(otherShape)).isZero();
        assertThat(ClientConnections.reconnectNow(otherShape)).isZero();

        assertThat(output.toString().lines().filter(line -> line.contains("Cannot reach the gRPC channels")))
            .singleElement().asString()
            .contains("WARN")
            .contains("reconnects after a server outage only when gRPC's back-off says")
            .contains("closing it may hang")
            .contains("use rocketmq-client-java 5.2.0");
    }

    @Test
    void aCloseThatEndsIsWaitedFor() {
        AtomicBoolean closed = new AtomicBoolean();
        long began = System.nanoTime();
        boolean ended = ClientConnections.closeWithin(() -> closed.set(true), Duration.ofSeconds(5), "a client");
        assertThat(ended).isTrue();
        assertThat(closed).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aCloseThatNeverEndsIsLeftAfterTheTimeoutAndTwoSecondsMore() {
        CountDownLatch never = new CountDownLatch(1);
        long began = System.nanoTime();
        boolean ended = ClientConnections.closeWithin(never::await, Duration.ofMillis(200), "a stuck client");
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        assertThat(ended).isFalse();
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(2_200)).isLessThan(Duration.ofSeconds(5));
    }

}
