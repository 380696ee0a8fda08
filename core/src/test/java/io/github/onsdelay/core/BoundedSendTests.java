package io.github.onsdelay.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.onsdelay.test.RecordingProducer;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.message.Message;
import org.apache.rocketmq.client.apis.producer.SendReceipt;
import org.apache.rocketmq.client.java.exception.BadRequestException;
import org.apache.rocketmq.shaded.io.grpc.Status;
import org.apache.rocketmq.shaded.io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

/** The attempts of one bounded send, against a producer that answers as each test says. */
class BoundedSendTests {

    /** Long enough for every attempt a test expects (class loading on a loaded machine included): none waits. */
    private static final Duration BOUND = Duration.ofSeconds(10);

    /** The bound of the tests that reach it. */
    private static final Duration SHORT_BOUND = Duration.ofMillis(300);

    private final RecordingProducer producer = new RecordingProducer();

    private final Message message = ClientServiceProvider.loadService().newMessageBuilder().setTopic("t")
        .setBody(new byte[] {1}).setDeliveryTimestamp(1L).build();

    /** The client futures handed out, in order. */
    private final List<CompletableFuture<SendReceipt>> attempts = new CopyOnWriteArrayList<>();

    @Test
    void anAttemptThatFoundNoConnectionIsFollowedByAnotherBothWays() throws Exception {
        answering(unavailable(), accepted());
        assertThat(BoundedSend.await(producer, message, BOUND).getMessageId()).hasToString("accepted");
        assertThat(attempts).hasSize(2);

        attempts.clear();
        answering(unavailable(), accepted());
        assertThat(BoundedSend.sendAsync(producer, message, BOUND).get(30, TimeUnit.SECONDS).getMessageId())
            .hasToString("accepted");
        assertThat(attempts).hasSize(2);
    }

    @Test
    void aRefusalIsNotAttemptedAgain() {
        answering(CompletableFuture.failedFuture(new BadRequestException(40001, "r-1", "bad")), accepted());

        assertThatThrownBy(() -> BoundedSend.await(producer, message, BOUND))
            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(BadRequestException.class);
        assertThat(attempts).hasSize(1);
    }

    @Test
    void aSendIsAttemptedAtMostThreeTimes() {
        answering(unavailable(), unavailable(), unavailable(), accepted());

        assertThatThrownBy(() -> BoundedSend.sendAsync(producer, message, BOUND).get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StatusRuntimeException.class);
        assertThat(attempts).hasSize(BoundedSend.MAX_ATTEMPTS);
    }

    @Test
    void atTheBoundTheAttemptInFlightIsCancelledAndNoneStartsAfterBothWays() {
        answering(new CompletableFuture<>(), accepted());
        long began = System.nanoTime();
        assertThatThrownBy(() -> BoundedSend.await(producer, message, SHORT_BOUND))
            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThanOrEqualTo(SHORT_BOUND);
        assertThat(attempts).singleElement().matches(CompletableFuture::isCancelled, "cancelled");

        attempts.clear();
        answering(new CompletableFuture<>(), accepted());
        CompletableFuture<SendReceipt> async = BoundedSend.sendAsync(producer, message, SHORT_BOUND);
        assertThatThrownBy(() -> async.get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
        // Cancelling ran the attempt's own callbacks before the caller was told: nothing is left to start one.
        assertThat(attempts).singleElement().matches(CompletableFuture::isCancelled, "cancelled");
    }

    @SafeVarargs
    private void answering(CompletableFuture<SendReceipt>... answers) {
        AtomicInteger next = new AtomicInteger();
        producer.answering(sent -> {
            CompletableFuture<SendReceipt> answer = answers[Math.min(next.getAndIncrement(), answers.length - 1)];
            attempts.add(answer);
            return answer;
        });
    }

    private static CompletableFuture<SendReceipt> unavailable() {
        return CompletableFuture.failedFuture(new StatusRuntimeException(Status.UNAVAILABLE.withDescription("io exception")));
    }

    private static CompletableFuture<SendReceipt> accepted() {
        return CompletableFuture.completedFuture(RecordingProducer.receipt("accepted", "recall-1"));
    }

}
