package io.github.onsdelay.consumer.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.github.onsdelay.core.ClientConnections;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.jspecify.annotations.Nullable;

/**
 * One connection of a container to the broker, from a start to a stop: its {@link SimpleConsumer}, the flow
 * of receives, and the leases of what it holds. A received message goes through the stages in order:
 * <ol>
 * <li><b>receive</b>: while there is room (held and handled messages under the count cap, their bodies under
 * the byte cap) and the container is not paused, a few receives are in progress at once, each asking for no
 * more than fits (by the largest body seen lately); a failed receive is tried again after a pause, never in a
 * loop;</li>
 * <li><b>lease</b>: each copy becomes a {@link Lease}, which the {@link LeaseKeeper} renews until it ends;</li>
 * <li><b>hold</b>: the {@link MessageHold} reads it, drops what is not this group's, joins copies, sends on
 * or holds until due (a message that arrives when its body would exceed the byte cap, while others are held, is
 * given back at once: the cap holds to within one message);</li>
 * <li><b>handle</b>: when due, it waits for a free handler (the {@link HandlerDispatcher}) and the
 * {@link DeliveryHandler} decides its fate;</li>
 * <li><b>settle</b>: the {@link Settlement} acknowledges it, gives it back, or forgets it (at most a few dozen
 * such calls in progress at once: {@link SettlementCalls}); its room frees once the call ended.</li>
 * </ol>
 * Stopping hands over at once what is held and not yet running (sent on as new messages for the group's other
 * instances), and lets handlers in progress finish.
 */
final class ConsumerSession {

    private static final Log LOG = LogFactory.getLog(ConsumerSession.class);

    /** How soon a failed receive is tried again: each try connects at once (see ClientConnections). */
    private static final Duration RECEIVE_RETRY = Duration.ofMillis(250);

    /** How long the consumer may take to close gracefully before its open calls are ended. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    /** The body size assumed before any has been seen, for sizing the first receives. */
    private static final long FIRST_BODY_ESTIMATE = 64 * 1024;

    private final ContainerSettings settings;

    private final SimpleConsumer consumer;

    private final DeliveryHandler handler;

    private final HandlerDispatcher dispatcher;

    private final Clock clock;

    private final ScheduledExecutorService housekeeping;

    private final ContainerCounters counters;

    private final Settlement settlement;

    private final MessageHold hold;

    private final List<HeldMessage> parked = new ArrayList<>();

    private long heldBytes;

    private long reservedBytes;

    private long bodyEstimate;

    private int receiving;

    private int reserved;

    private boolean backingOff;

    private volatile boolean paused;

    private volatile boolean closing;

    private volatile @Nullable Throwable receiveFailure;

    private final LeaseKeeper leases;

    private final SettlementCalls settlementCalls;

    /**
     * The parts a session is built from: the container's, which outlive its sessions.
     *
     * @param handler what happens to a due message
     * @param hops sends on what is due too far ahead to hold
     * @param resender sends held messages again as new ones (hand-over, redelivery budget)
     * @param dispatcher the handler threads and places
     * @param timer holds messages until due
     * @param housekeeping renews leases and retries receives
     * @param counters the container's figures
     * @param maxDelay longest single delay the server accepts
     */
    record Parts(DeliveryHandler handler, HopSender hops, MessageResender resender, HandlerDispatcher dispatcher,
            DueTimer timer, ScheduledExecutorService housekeeping, ContainerCounters counters, Duration maxDelay) {
    }

    ConsumerSession(ContainerSettings settings, SimpleConsumer consumer, Parts parts) {
        this.settings = settings;
        this.consumer = consumer;
        this.handler = parts.handler();
        this.dispatcher = parts.dispatcher();
        this.clock = parts.timer().clock();
        this.housekeeping = parts.housekeeping();
        this.counters = parts.counters();
        this.bodyEstimate = Math.min(FIRST_BODY_ESTIMATE,
            Math.max(1, settings.maxHeldBytes() / ((long) settings.receiveBatchSize() * settings.receivesInFlight())));
        this.settlement = new Settlement(settings.group(), settings.maxDeliveries(), parts.resender(), counters,
            housekeeping, dispatcher.threads(), this::released);
        this.hold = new MessageHold(settings, clock, parts.timer(), parts.maxDelay(), counters, parts.hops(),
            dispatcher.threads(), settlement, this::due);
        this.settlementCalls = new SettlementCalls(housekeeping, () -> dispatcher.waiting() > 0);
        this.leases = new LeaseKeeper(settings.group(), settings.renewBefore(), counters, hold, settlementCalls);
    }

    void start() {
        leases.start(housekeeping);
        receive();
    }

    boolean isPaused() {
        return paused;
    }

    /** Whether the last receive failed (the server is unreachable or refused it). */
    boolean isFailing() {
        return receiveFailure != null;
    }

    // -- receive ---------------------------------------------------------------------------------------------

    /** Starts receives while there is room and the session is neither paused, closing nor backing off. */
    private void receive() {
        synchronized (this) {
            while (!closing && !paused && !backingOff && receiving < settings.receivesInFlight()) {
                int room = settings.maxHeldMessages() - counters.occupied() - reserved;
                long byteRoom = settings.maxHeldBytes() - heldBytes - reservedBytes;
                if (room <= 0 || byteRoom <= 0) {
                    return;
                }
                int batch = (int) Math.min(Math.min(settings.receiveBatchSize(), room), Math.max(1, byteRoom / bodyEstimate));
                long expectedBytes = batch * bodyEstimate;
                reserved += batch;
                reservedBytes += expectedBytes;
                receiving++;
                long sentAt = System.nanoTime();
                CompletableFuture<List<MessageView>> received;
                try {
                    counters.receiveCalls.increment();
                    received = consumer.receiveAsync(batch, settings.invisibleDuration());
                }
                catch (RuntimeException ex) {
                    received = CompletableFuture.failedFuture(ex);
                }
                // A future that fails at once completes here, under the lock: received() then backs off, which ends
                // this loop, rather than asking again at once.
                received.whenComplete((views, ex) -> received(batch, expectedBytes, sentAt, views, ex));
            }
        }
    }

    private void received(int batch, long expectedBytes, long sentAt, @Nullable List<MessageView> views,
            @Nullable Throwable failure) {
        List<HeldMessage> arrived = new ArrayList<>();
        List<HeldMessage> overCap = new ArrayList<>();
        synchronized (this) {
            receiving--;
            reserved -= batch;
            reservedBytes -= expectedBytes;
            if (views != null) {
                Instant receivedAt = clock.instant();
                long largest = 0;
                counters.received.add(views.size());
                for (MessageView view : views) {
                    HeldMessage message = hold.arrive(new Lease(consumer, view, settings.invisibleDuration(), sentAt,
                        leases, settlementCalls, counters), receivedAt);
                    if (message == null) {
                        continue;
                    }
                    largest = Math.max(largest, message.bytes);
                    counters.occupy(1);
                    if (heldBytes == 0 || heldBytes + message.bytes <= settings.maxHeldBytes()) {
                        message.countBytes();
                        heldBytes += message.bytes;
                        counters.heldBytes(message.bytes);
                        arrived.add(message);
                    }
                    else {
                        overCap.add(message);
                    }
                }
                // Follows a rise at once, a fall by halves: the next receives ask for what fits.
                bodyEstimate = Math.max(1, Math.max(largest, bodyEstimate / 2));
            }
            if (failure != null && !closing) {
                backingOff = true;
            }
        }
        if (failure != null) {
            if (!closing) {
                failed(failure);
            }
            return;
        }
        receiveFailure = null;
        for (HeldMessage message : overCap) {
            counters.overCap.increment();
            settlement.giveBackNow(message);
        }
        for (HeldMessage message : arrived) {
            if (closing) {
                settlement.handOver(message);
            }
            else {
                hold.hold(message);
            }
        }
        receive();
    }

    private void failed(Throwable failure) {
        boolean first = receiveFailure == null;
        receiveFailure = failure;
        String text = "Consumer group '" + settings.group() + "' cannot receive (" + failure + "); trying again every "
            + RECEIVE_RETRY.toMillis() + " ms";
        if (first) {
            LOG.warn(text);
        }
        else if (LOG.isDebugEnabled()) {
            LOG.debug(text);
        }
        housekeeping.schedule(() -> {
            // The next receive connects at once if the server is back, rather than after gRPC's back-off.
            ClientConnections.reconnectNow(consumer);
            synchronized (this) {
                backingOff = false;
            }
            receive();
        }, RECEIVE_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }

    // -- handle ----------------------------------------------------------------------------------------------

    /** The message is due: on to a handler, or parked while the container is paused. */
    private void due(HeldMessage message) {
        if (closing) {
            return;
        }
        synchronized (parked) {
            if (paused) {
                parked.add(message);
                return;
            }
        }
        if (message.advance(HeldMessage.Stage.HELD, HeldMessage.Stage.QUEUED)) {
            dispatcher.submit(done -> {
                if (!message.advance(HeldMessage.Stage.QUEUED, HeldMessage.Stage.HANDLING)) {
                    done.complete(null);
                    return;
                }
                handler.handle(message, disposition -> {
                    settle(message, disposition);
                    done.complete(null);
                });
            });
        }
    }

    // -- settle ----------------------------------------------------------------------------------------------

    private void settle(HeldMessage message, Disposition disposition) {
        switch (disposition.kind()) {
            case ACKNOWLEDGE -> settlement.acknowledge(message);
            case GIVE_BACK -> settlement.giveBack(message, disposition.why());
            case FORGET -> settlement.forget(message);
        }
    }

    /** A message's hold has ended at the broker: its room frees. */
    private void released(HeldMessage message, boolean acknowledged) {
        hold.released(message, acknowledged);
        if (message.bytesCounted()) {
            synchronized (this) {
                heldBytes -= message.bytes;
            }
            counters.heldBytes(-message.bytes);
        }
        counters.release();
        receive();
    }

    // -- pause, resume, close --------------------------------------------------------------------------------

    void pause() {
        synchronized (parked) {
            paused = true;
        }
    }

    void resume() {
        List<HeldMessage> due;
        synchronized (parked) {
            paused = false;
            due = new ArrayList<>(parked);
            parked.clear();
        }
        due.forEach(this::due);
        receive();
    }

    /**
     * Stops gracefully, in order: no new receives; everything held or queued is handed over at once (sent on as
     * a new message due at its own time, for the group's other instances; given back when that fails; a receive
     * still in flight hands over what it brings as it arrives); handlers in progress finish; the receives in
     * flight come back; the consumer closes. Waits until {@code deadlineNanos} at most.
     */
    void close(long deadlineNanos) {
        synchronized (this) {
            closing = true;
        }
        synchronized (parked) {
            paused = false;
            parked.clear();
        }
        int handedOver = 0;
        for (HeldMessage message : hold.messages()) {
            if (message.stage() == HeldMessage.Stage.HELD || message.stage() == HeldMessage.Stage.QUEUED) {
                settlement.handOver(message);
                handedOver++;
            }
        }
        if (!awaitUntil(deadlineNanos, () -> {
            synchronized (this) {
                return hold.isEmpty() && receiving == 0;
            }
        })) {
            LOG.warn("Consumer group '" + settings.group() + "' still has " + counters.snapshot().inFlight()
                + " handler run(s) in progress at the end of the shutdown timeout; the broker delivers those messages "
                + "again once their invisibility ends");
        }
        leases.stop();
        ClientConnections.closeWithin(consumer, CLOSE_TIMEOUT, "the consumer of group '" + settings.group() + "'");
        if (LOG.isDebugEnabled()) {
            LOG.debug("Consumer group '" + settings.group() + "' handed over " + handedOver + " held message(s)");
        }
    }

    private static boolean awaitUntil(long deadlineNanos, BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

}
