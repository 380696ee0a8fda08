package io.github.onsdelay.consumer.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.rocketmq.client.apis.message.MessageView;
import org.jspecify.annotations.Nullable;

/**
 * One message while a container has it: its delivery as read once on arrival, where it stands (held until due,
 * queued for a handler, being handled, done), and its {@link Lease leases}: one per copy the broker delivered
 * while it was here (a broker that crashed replays part of its timer log, so two copies of one message id can
 * arrive; they are held and handled as one). Its body is kept once, in the client's message view.
 */
final class HeldMessage {

    /** Where a message stands; it only moves forward. */
    enum Stage {

        /** Waiting for its due time. */
        HELD,

        /** Due, waiting for a free handler. */
        QUEUED,

        /** Its handler (and the retry or exhaustion that follows) is running, or it is being sent on. */
        HANDLING,

        /** Acknowledged, given back, sent on or handed over. */
        DONE

    }

    final Map<String, String> properties;

    final Instant receivedAt;

    /** The delivery, or null when its properties could not be read ({@link #unreadable} says why). */
    final @Nullable Delivery delivery;

    final @Nullable RuntimeException unreadable;

    final int bytes;

    private final List<Lease> leases = new CopyOnWriteArrayList<>();

    private final AtomicReference<Stage> stage = new AtomicReference<>(Stage.HELD);

    private volatile @Nullable Future<?> timer;

    private volatile boolean bytesCounted;

    private volatile boolean acknowledged;

    private volatile boolean copyOfAcknowledged;

    HeldMessage(Lease lease, Map<String, String> properties, Instant receivedAt, @Nullable Delivery delivery,
            @Nullable RuntimeException unreadable) {
        this.leases.add(lease);
        this.properties = properties;
        this.receivedAt = receivedAt;
        this.delivery = delivery;
        this.unreadable = unreadable;
        this.bytes = lease.view.getBody().remaining();
    }

    /** The first copy's view: topic, tag, keys, message id and body are the same in every copy. */
    MessageView view() {
        return leases.get(0).view;
    }

    String messageId() {
        return view().getMessageId().toString();
    }

    /** A copy of the body, for the converter or a send; the view keeps the one the container holds. */
    byte[] body() {
        var buffer = view().getBody();
        byte[] body = new byte[buffer.remaining()];
        buffer.duplicate().get(body);
        return body;
    }

    /** How often the broker has delivered it: the highest of its copies. */
    int deliveryAttempt() {
        int highest = 0;
        for (Lease lease : leases) {
            highest = Math.max(highest, lease.view.getDeliveryAttempt());
        }
        return highest;
    }

    List<Lease> leases() {
        return leases;
    }

    /** Another copy of it arrived while it was here. */
    void join(Lease copy) {
        leases.add(copy);
    }

    /** Whether at least one of its copies is still invisible to the group's other consumers. */
    boolean isLeased() {
        boolean held = false;
        for (Lease lease : leases) {
            held |= lease.isHeld();
        }
        return held;
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

    /** Its body counts towards the byte cap (not so one given back at once for not fitting). */
    void countBytes() {
        bytesCounted = true;
    }

    boolean bytesCounted() {
        return bytesCounted;
    }

    /** Its settlement acknowledges it: a copy that arrives from now on is a duplicate. */
    void acknowledged() {
        acknowledged = true;
    }

    boolean isAcknowledged() {
        return acknowledged;
    }

    /** It is a copy of a message this container acknowledged moments ago. */
    void copyOfAcknowledged() {
        copyOfAcknowledged = true;
    }

    boolean isCopyOfAcknowledged() {
        return copyOfAcknowledged;
    }

    void timer(Future<?> timer) {
        this.timer = timer;
    }

    @Override
    public String toString() {
        return "HeldMessage[" + messageId() + ", " + stage.get() + ", " + delivery + ", " + leases.size() + " copy(ies)]";
    }

}
