package io.github.onsdelay.consumer.internal;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.rocketmq.client.apis.message.MessageView;
import org.jspecify.annotations.Nullable;

/**
 * One received message while a container has it: its delivery as read once on arrival, where it stands
 * (held until due, queued for a handler, being handled, done), when its invisibility at the broker ends, and
 * the broker operations on it, run one after another (a renewal changes the receipt handle an
 * acknowledgement must use).
 */
final class HeldMessage {

    /** Where a message stands; it only moves forward. */
    enum Stage {

        /** Waiting for its due time. */
        HELD,

        /** Due, waiting for a free handler. */
        QUEUED,

        /** Its handler (and the retry or exhaustion that follows) is running. */
        HANDLING,

        /** Acknowledged, given back, or sent on. */
        DONE

    }

    final MessageView view;

    final Map<String, String> properties;

    final byte[] body;

    final Instant receivedAt;

    /** The delivery, or null when its properties could not be read ({@link #unreadable} says why). */
    final @Nullable Delivery delivery;

    final @Nullable RuntimeException unreadable;

    private final AtomicReference<Stage> stage = new AtomicReference<>(Stage.HELD);

    private volatile long invisibleUntilNanos;

    private volatile @Nullable Future<?> timer;

    private CompletableFuture<?> lastOperation = CompletableFuture.completedFuture(null);

    HeldMessage(MessageView view, Map<String, String> properties, Instant receivedAt, @Nullable Delivery delivery,
            @Nullable RuntimeException unreadable, long invisibleUntilNanos) {
        this.view = view;
        this.properties = properties;
        this.body = bytes(view.getBody());
        this.receivedAt = receivedAt;
        this.delivery = delivery;
        this.unreadable = unreadable;
        this.invisibleUntilNanos = invisibleUntilNanos;
    }

    Stage stage() {
        return stage.get();
    }

    /** Moves from {@code from} to {@code to}; false when it is no longer at {@code from}. */
    boolean advance(Stage from, Stage to) {
        return stage.compareAndSet(from, to);
    }

    /** Ends it from any stage but {@link Stage#DONE}; false when it had already ended. */
    boolean finish() {
        Stage current;
        do {
            current = stage.get();
            if (current == Stage.DONE) {
                return false;
            }
        }
        while (!stage.compareAndSet(current, Stage.DONE));
        Future<?> armed = timer;
        if (armed != null) {
            armed.cancel(false);
        }
        return true;
    }

    void timer(Future<?> timer) {
        this.timer = timer;
    }

    long invisibleUntilNanos() {
        return invisibleUntilNanos;
    }

    void invisibleUntilNanos(long nanos) {
        this.invisibleUntilNanos = nanos;
    }

    /** Runs a broker operation once the previous one on this message has finished, whatever its outcome. */
    synchronized <T> CompletableFuture<T> then(java.util.function.Supplier<CompletableFuture<T>> operation) {
        CompletableFuture<T> next = lastOperation.handle((result, ex) -> null).thenCompose(ignored -> operation.get());
        lastOperation = next;
        return next;
    }

    int bytes() {
        return body.length;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    @Override
    public String toString() {
        return "HeldMessage[" + view.getMessageId() + ", " + stage.get() + ", " + delivery + "]";
    }

}
