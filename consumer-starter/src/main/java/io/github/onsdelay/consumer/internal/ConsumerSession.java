package io.github.onsdelay.consumer.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.onsdelay.core.ClientConnections;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.jspecify.annotations.Nullable;

/**
 * One connection of a container to the broker, from a start to a stop: its {@link SimpleConsumer} and the
 * messages it holds. For each message, in order:
 * <ol>
 * <li>it is received while there is room (held and handled messages under the count and byte caps) and the
 * container is not paused: a few receives are in progress at once, none asking for more than there is room
 * for, so the caps are never exceeded; when full, receiving waits;</li>
 * <li>its delivery is read once; a retry or hop addressed to another group is acknowledged and left
 * alone;</li>
 * <li>due later than the hold horizon, it is sent on as a hop; due sooner, it is held on the
 * {@link DueTimer}, which holds no thread per message; already due, it goes straight on;</li>
 * <li>at its due time (never before, by the clock) it waits for a free handler, and the
 * {@link DeliveryProcessor} settles it;</li>
 * <li>it is acknowledged, or given back to the broker to be delivered again after a backoff.</li>
 * </ol>
 * While it holds or handles a message, it keeps it invisible to the group's other consumers by renewing its
 * invisibility shortly before it ends, so that after a crash they get it within one invisible duration.
 * Stopping gives back at once what is held and not yet running, and lets handlers in progress finish.
 */
final class ConsumerSession {

    private static final Log LOG = LogFactory.getLog(ConsumerSession.class);

    /** How soon a failed receive is tried again: each try connects at once (see ClientConnections). */
    private static final Duration RECEIVE_RETRY = Duration.ofMillis(250);

    /** How long the consumer may take to close gracefully before its open calls are ended. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final ContainerSettings settings;

    private final SimpleConsumer consumer;

    private final DeliveryProcessor processor;

    private final HandlerDispatcher dispatcher;

    private final DueTimer timer;

    private final Clock clock;

    private final ScheduledExecutorService housekeeping;

    private final ContainerCounters counters;

    private final Set<HeldMessage> messages = ConcurrentHashMap.newKeySet();

    private final List<HeldMessage> parked = new ArrayList<>();

    private final AtomicLong bytes = new AtomicLong();

    private int receiving;

    private int reserved;

    private volatile boolean paused;

    private volatile boolean closing;

    private volatile @Nullable Throwable receiveFailure;

    private @Nullable ScheduledFuture<?> renewals;

    ConsumerSession(ContainerSettings settings, SimpleConsumer consumer, DeliveryProcessor processor,
            HandlerDispatcher dispatcher, DueTimer timer, ScheduledExecutorService housekeeping,
            ContainerCounters counters) {
        this.settings = settings;
        this.consumer = consumer;
        this.processor = processor;
        this.dispatcher = dispatcher;
        this.timer = timer;
        this.clock = timer.clock();
        this.housekeeping = housekeeping;
        this.counters = counters;
    }

    void start() {
        long period = Math.max(100, settings.invisibleDuration().toMillis() / 10);
        renewals = housekeeping.scheduleWithFixedDelay(this::renewInvisibility, period, period, TimeUnit.MILLISECONDS);
        receive();
    }

    boolean isPaused() {
        return paused;
    }

    /** Whether the last receive failed (the server is unreachable or refused it). */
    boolean isFailing() {
        return receiveFailure != null;
    }

    // -- receiving -----------------------------------------------------------------------------------------

    /** Starts receives while there is room and the session is neither paused nor closing. */
    private void receive() {
        synchronized (this) {
            while (!closing && !paused && receiving < settings.receivers()) {
                int room = settings.maxHeldMessages() - counters.occupied() - reserved;
                if (room <= 0 || bytes.get() >= settings.maxHeldBytes()) {
                    return;
                }
                int batch = Math.min(settings.receiveBatchSize(), room);
                reserved += batch;
                receiving++;
                CompletableFuture<List<MessageView>> received;
                try {
                    received = consumer.receiveAsync(batch, settings.invisibleDuration());
                }
                catch (RuntimeException ex) {
                    received = CompletableFuture.failedFuture(ex);
                }
                received.whenComplete((views, ex) -> received(batch, views, ex));
            }
        }
    }

    private void received(int batch, @Nullable List<MessageView> views, @Nullable Throwable failure) {
        List<HeldMessage> arrived = new ArrayList<>();
        synchronized (this) {
            if (views != null) {
                Instant receivedAt = clock.instant();
                long invisibleUntil = System.nanoTime() + settings.invisibleDuration().toNanos();
                for (MessageView view : views) {
                    HeldMessage message = read(view, receivedAt, invisibleUntil);
                    messages.add(message);
                    bytes.addAndGet(message.bytes());
                    arrived.add(message);
                }
                counters.occupy(arrived.size());
                counters.received.add(arrived.size());
            }
            receiving--;
            reserved -= batch;
        }
        if (failure != null) {
            if (!closing) {
                failed(failure);
            }
            return;
        }
        receiveFailure = null;
        for (HeldMessage message : arrived) {
            if (closing) {
                giveBack(message);
            }
            else {
                accept(message);
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
            receive();
        }, RECEIVE_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private HeldMessage read(MessageView view, Instant receivedAt, long invisibleUntil) {
        Map<String, String> properties = view.getProperties();
        try {
            Delivery delivery = DeliveryReader.read(view, properties, settings.producer().name(), receivedAt);
            return new HeldMessage(view, properties, receivedAt, delivery, null, invisibleUntil);
        }
        catch (RuntimeException ex) {
            return new HeldMessage(view, properties, receivedAt, null, ex, invisibleUntil);
        }
    }

    // -- holding and handling ------------------------------------------------------------------------------

    private void accept(HeldMessage message) {
        Delivery delivery = message.delivery;
        if (delivery == null) {
            due(message);
            return;
        }
        String target = delivery.targetGroup();
        if (target != null && !target.equals(settings.group())) {
            counters.otherGroups.increment();
            settle(message, Disposition.ACKNOWLEDGE);
            return;
        }
        Instant now = clock.instant();
        if (!delivery.dueAt().isAfter(now)) {
            due(message);
            return;
        }
        counters.heldEarly.increment();
        if (Duration.between(now, delivery.dueAt()).compareTo(settings.holdHorizon()) > 0) {
            if (message.advance(HeldMessage.Stage.HELD, HeldMessage.Stage.HANDLING)) {
                dispatcher.threads().execute(() -> settle(message, processor.sendOn(message, delivery)));
            }
            return;
        }
        message.timer(timer.schedule(delivery.dueAt(), () -> due(message)));
    }

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
            dispatcher.submit(() -> handle(message));
        }
    }

    private CompletableFuture<?> handle(HeldMessage message) {
        if (!message.advance(HeldMessage.Stage.QUEUED, HeldMessage.Stage.HANDLING)) {
            return CompletableFuture.completedFuture(null);
        }
        counters.handlerStarted();
        Delivery delivery = message.delivery;
        if (delivery != null) {
            counters.lateness(Duration.between(delivery.dueAt(), clock.instant()));
        }
        CompletableFuture<Disposition> settled;
        try {
            settled = processor.process(message);
        }
        catch (RuntimeException | Error ex) {
            LOG.error("Handling a message of group '" + settings.group() + "' failed unexpectedly; giving it back", ex);
            settled = CompletableFuture.completedFuture(Disposition.redeliverLater(message.view.getDeliveryAttempt()));
        }
        return settled.handle((disposition, ex) -> {
            counters.handlerEnded();
            settle(message, ex == null ? disposition : Disposition.redeliverLater(message.view.getDeliveryAttempt()));
            return null;
        });
    }

    /** Acknowledges the message or gives it back, then frees its room. */
    private void settle(HeldMessage message, Disposition disposition) {
        if (!message.finish()) {
            return;
        }
        CompletableFuture<Void> operation;
        if (disposition.acknowledge()) {
            operation = message.then(() -> consumer.ackAsync(message.view));
        }
        else {
            counters.givenBack.increment();
            operation = message.then(() -> consumer.changeInvisibleDurationAsync(message.view,
                disposition.redeliverAfter()));
        }
        operation.whenComplete((ignored, ex) -> {
            if (ex != null) {
                LOG.warn((disposition.acknowledge() ? "Acknowledging" : "Giving back") + " message "
                    + message.view.getMessageId() + " of group '" + settings.group() + "' failed (" + ex
                    + "); the broker delivers it again once its invisibility ends");
            }
            messages.remove(message);
            bytes.addAndGet(-message.bytes());
            counters.release();
            receive();
        });
    }

    /** Gives a message that is held or queued (not running) back to the broker, to be delivered at once. */
    private void giveBack(HeldMessage message) {
        settle(message, new Disposition(false, Duration.ZERO));
    }

    /** Renews the invisibility of every message it holds or handles whose invisibility is about to end. */
    private void renewInvisibility() {
        long now = System.nanoTime();
        long threshold = settings.invisibleDuration().toNanos() / 3;
        for (HeldMessage message : messages) {
            if (message.stage() != HeldMessage.Stage.DONE && message.invisibleUntilNanos() - now < threshold) {
                message.invisibleUntilNanos(now + settings.invisibleDuration().toNanos());
                message.then(() -> consumer.changeInvisibleDurationAsync(message.view, settings.invisibleDuration()))
                    .whenComplete((ignored, ex) -> {
                        if (ex != null && message.stage() != HeldMessage.Stage.DONE && LOG.isDebugEnabled()) {
                            LOG.debug("Renewing the invisibility of message " + message.view.getMessageId()
                                + " failed: " + ex);
                        }
                    });
            }
        }
    }

    // -- pause, resume, close ------------------------------------------------------------------------------

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
     * Stops gracefully, in order: no new receives; everything held or queued is given back to the broker at
     * once, for the group's other instances (a receive of this session still in flight may take some of it
     * again, and gives it back as it arrives); handlers in progress finish; the receives in flight come back;
     * the consumer closes. Waits until {@code deadlineNanos} at most.
     */
    void close(long deadlineNanos) {
        closing = true;
        synchronized (parked) {
            paused = false;
            parked.clear();
        }
        for (HeldMessage message : messages) {
            if (message.stage() == HeldMessage.Stage.HELD || message.stage() == HeldMessage.Stage.QUEUED) {
                giveBack(message);
            }
        }
        if (!awaitQuiet(deadlineNanos)) {
            LOG.warn("Consumer group '" + settings.group() + "' still has " + counters.snapshot().inFlight()
                + " handler run(s) in progress at the end of the shutdown timeout; the broker delivers those messages "
                + "again once their invisibility ends");
        }
        ScheduledFuture<?> renewing = renewals;
        if (renewing != null) {
            renewing.cancel(false);
        }
        ClientConnections.closeWithin(consumer, CLOSE_TIMEOUT, "the consumer of group '" + settings.group() + "'");
    }

    /** Waits until nothing is held, handled or being received; false when the deadline came first. */
    private boolean awaitQuiet(long deadlineNanos) {
        return awaitUntil(deadlineNanos, () -> {
            synchronized (this) {
                return messages.isEmpty() && receiving == 0;
            }
        });
    }

    private static boolean awaitUntil(long deadlineNanos, java.util.function.BooleanSupplier condition) {
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
