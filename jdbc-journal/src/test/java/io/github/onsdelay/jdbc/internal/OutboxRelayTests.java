package io.github.onsdelay.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import io.github.onsdelay.core.OnsSendException;
import org.apache.rocketmq.client.java.exception.InternalErrorException;
import org.apache.rocketmq.client.java.exception.NotFoundException;
import org.apache.rocketmq.client.java.exception.TooManyRequestsException;
import org.junit.jupiter.api.Test;

/**
 * Which send failures count towards parking an outbox row: the broker's (or the client's) refusal of the message
 * itself, never a failure that says nothing about it. (The relay's passes run on real databases and the real
 * broker in the contract suite.)
 */
class OutboxRelayTests {

    private static OnsSendException failed(Throwable cause) {
        return new OnsSendException("partner-push", "pushes", String.valueOf(cause), cause);
    }

    @Test
    void aRefusalByTheBrokerOrTheClientCounts() {
        assertThat(OutboxRelay.refused(failed(new NotFoundException(40402, "r", "no topic route")))).isTrue();
        assertThat(OutboxRelay.refused(new CompletionException(failed(new IllegalArgumentException(
            "Message body size exceeds the threshold"))))).isTrue();
        assertThat(OutboxRelay.refused(new OnsSendException("partner-push", "pushes", "hops are off", null)))
            .as("the library's own refusal").isTrue();
    }

    @Test
    void aFailureThatSaysNothingAboutTheMessageDoesNotCount() {
        assertThat(OutboxRelay.refused(failed(new TimeoutException()))).isFalse();
        assertThat(OutboxRelay.refused(failed(new TooManyRequestsException(42900, "r", "throttled")))).isFalse();
        assertThat(OutboxRelay.refused(failed(new InternalErrorException(50000, "r", "store busy")))).isFalse();
        assertThat(OutboxRelay.refused(failed(new IllegalStateException("UNAVAILABLE: io exception"))))
            .as("the server unreachable").isFalse();
    }

}
