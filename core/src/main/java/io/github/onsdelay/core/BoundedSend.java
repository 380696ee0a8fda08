package io.github.onsdelay.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.rocketmq.client.apis.message.Message;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.client.apis.producer.SendReceipt;
import org.apache.rocketmq.client.java.exception.InternalErrorException;
import org.apache.rocketmq.client.java.exception.ProxyTimeoutException;
import org.apache.rocketmq.shaded.io.grpc.StatusRuntimeException;
import org.jspecify.annotations.Nullable;

/**
 * One send of one message, bounded by its send timeout. For each send:
 * <ol>
 * <li>an attempt is one {@code sendAsync} of a producer that makes one attempt per call (the auto-configured one:
 * {@code maxAttempts} 1);</li>
 * <li>an attempt that failed without an answer from the server (a gRPC status: the connection failed or broke) or
 * with the server's internal error or timeout is followed by another, up to {@link #MAX_ATTEMPTS}, with the
 * client's channels told to reconnect at once, as long as the bound has not passed;</li>
 * <li>a refusal (any other answer) or a client-side check ends the send with that failure;</li>
 * <li>at the bound the send fails with a {@link TimeoutException}; the attempt in flight is cancelled, which stops
 * it from starting when it still waits for the topic's route, and no attempt starts after.</li>
 * </ol>
 * The decision to start an attempt and the decision to fail at the bound are taken under one lock, so that the
 * caller is never told of a failure before an attempt that then starts.
 */
final class BoundedSend {

    /** As many attempts as rocketmq-client-java makes by default, now each started within the send's bound. */
    static final int MAX_ATTEMPTS = 3;

    private final Producer producer;

    private final Message message;

    private final CompletableFuture<SendReceipt> result = new CompletableFuture<>();

    private int attempts;

    private @Nullable CompletableFuture<SendReceipt> inFlight;

    /** Set, under this object's lock, once the caller is or is about to be told: no attempt starts after. */
    private boolean over;

    private BoundedSend(Producer producer, Message message) {
        this.producer = producer;
        this.message = message;
    }

    /**
     * Sends, and waits on the calling thread until the server accepts the message, the send fails, or
     * {@code timeout} has passed. It arms no timer on a shared thread: the caller's timed waits are the bound.
     *
     * @throws ExecutionException with the last attempt's failure as its cause, or a {@link TimeoutException} cause
     *     at the bound
     */
    static SendReceipt await(Producer producer, Message message, Duration timeout)
            throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            CompletableFuture<SendReceipt> sending = start(producer, message);
            try {
                return sending.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (TimeoutException ex) {
                sending.cancel(false);
                throw new ExecutionException(ex);
            }
            catch (InterruptedException ex) {
                sending.cancel(false);
                throw ex;
            }
            catch (ExecutionException ex) {
                if (attempt >= MAX_ATTEMPTS || !worthAnotherAttempt(ex.getCause()) || System.nanoTime() >= deadline) {
                    throw ex;
                }
                ClientConnections.reconnectNow(producer);
            }
        }
    }

    /**
     * Sends; the future completes with the server's receipt, or exceptionally with the last attempt's failure, or
     * with a {@link TimeoutException} at {@code timeout}. The bound's timer is cancelled when the send ends first.
     */
    static CompletableFuture<SendReceipt> sendAsync(Producer producer, Message message, Duration timeout) {
        BoundedSend send = new BoundedSend(producer, message);
        CompletableFuture<Void> bound = new CompletableFuture<>();
        bound.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((ignored, ex) -> {
            if (ex instanceof TimeoutException) {
                send.expire((TimeoutException) ex);
            }
        });
        // Ending the bound's future when the send ends first takes its timer off the shared scheduler.
        send.result.whenComplete((receipt, ex) -> bound.complete(null));
        send.attempt();
        return send.result;
    }

    private void attempt() {
        CompletableFuture<SendReceipt> sending;
        synchronized (this) {
            if (over) {
                return;
            }
            attempts++;
            sending = start(producer, message);
            inFlight = sending;
        }
        sending.whenComplete(this::attempted);
    }

    private void attempted(@Nullable SendReceipt receipt, @Nullable Throwable failure) {
        if (failure == null) {
            finish(receipt, null);
            return;
        }
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        boolean again;
        synchronized (this) {
            again = !over && attempts < MAX_ATTEMPTS && worthAnotherAttempt(cause);
        }
        if (again) {
            ClientConnections.reconnectNow(producer);
            attempt();
        }
        else {
            finish(null, cause);
        }
    }

    private void expire(TimeoutException timeout) {
        CompletableFuture<SendReceipt> sending;
        synchronized (this) {
            if (over) {
                return;
            }
            over = true;
            sending = inFlight;
        }
        if (sending != null) {
            sending.cancel(false);
        }
        result.completeExceptionally(timeout);
    }

    private void finish(@Nullable SendReceipt receipt, @Nullable Throwable failure) {
        synchronized (this) {
            if (over) {
                return;
            }
            over = true;
        }
        if (failure == null) {
            result.complete(receipt);
        }
        else {
            result.completeExceptionally(failure);
        }
    }

    private static CompletableFuture<SendReceipt> start(Producer producer, Message message) {
        try {
            return producer.sendAsync(message);
        }
        catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    /**
     * Whether another attempt may succeed where this one failed: no answer (a gRPC status, such as UNAVAILABLE when
     * the connection failed or broke), or the server's own internal error or timeout. Not a refusal, which the next
     * attempt would meet again, nor a throttling answer, which asks the client to send less.
     */
    static boolean worthAnotherAttempt(@Nullable Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause instanceof StatusRuntimeException || cause instanceof InternalErrorException
            || cause instanceof ProxyTimeoutException;
    }

    private static @Nullable Throwable unwrap(@Nullable Throwable failure) {
        // The client's futures fail with the cause itself; a future composed on them wraps it.
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

}
