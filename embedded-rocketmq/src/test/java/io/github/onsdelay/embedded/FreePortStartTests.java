package io.github.onsdelay.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class FreePortStartTests {

    private static EmbeddedRocketMQException bindFailure(int port) {
        // As the server reports it: wrapped, with the BindException further down.
        return new EmbeddedRocketMQException("Embedded RocketMQ failed",
            new IOException("Failed to bind to address 127.0.0.1:" + port, new BindException("Address already in use")));
    }

    @Test
    void aPortTakenBeforeTheServerBoundItIsChosenAgain() {
        List<Integer> tried = new ArrayList<>();

        String started = FreePortStart.start("a test server", port -> {
            tried.add(port);
            if (tried.size() < 3) {
                throw bindFailure(port);
            }
            return "started on " + port;
        });

        assertThat(tried).hasSize(3);
        assertThat(started).isEqualTo("started on " + tried.get(2));
    }

    @Test
    void anotherFailureEndsTheTriesAtOnce() {
        List<Integer> tried = new ArrayList<>();
        EmbeddedRocketMQException failure = new EmbeddedRocketMQException("the broker did not register");

        assertThatThrownBy(() -> FreePortStart.start("a test server", port -> {
            tried.add(port);
            throw failure;
        })).isSameAs(failure);
        assertThat(tried).hasSize(1);
    }

    @Test
    void theLastBindFailureIsReportedAfterTheLastAttempt() {
        List<Integer> tried = new ArrayList<>();

        assertThatThrownBy(() -> FreePortStart.start("a test server", port -> {
            tried.add(port);
            throw bindFailure(port);
        })).isInstanceOf(EmbeddedRocketMQException.class).hasRootCauseInstanceOf(BindException.class);
        assertThat(tried).hasSize(FreePortStart.ATTEMPTS);
    }

}
