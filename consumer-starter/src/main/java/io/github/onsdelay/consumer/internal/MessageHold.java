package io.github.onsdelay.consumer.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.jspecify.annotations.Nullable;

/**
 * Where a received copy of a message goes first, and where it waits until due. In order:
 * <ol>
 * <li>its delivery is read once (unreadable: poison, due at once, for the handler stage to exhaust);</li>
 * <li>a retry, hop or hand-over addressed to another group is acknowledged and left alone, never held;</li>
 * <li>a copy of a message already here (the broker replays part of its timer log after a crash, or delivers
 * again what it did not see acknowledged) joins it: one handler run for both, both acknowledged; a copy of a
 * message acknowledged here moments ago is acknowledged at once;</li>
 * <li>due later than the hold horizon, it is sent on as a hop, unless hops would loop (see {@link #mayHop});
 * due sooner, it waits on the {@link DueTimer}, which holds no thread per message; already due, it goes
 * on.</li>
 * </ol>
 * When due it is handed to {@code due}, which queues it for a handler (or parks it while the container is
 * paused).
 */
final class MessageHold {

    private static final Log LOG = LogFactory.getLog(MessageHold.class);

    /** How far before the time the broker was asked for a hop may arrive and still be taken for on time. */
    private static final Duration SKEW_TOLERANCE = Duration.ofSeconds(1);

    /** How many acknowledged message ids are remembered, for copies that arrive after the first was done. */
    private static final int RECENT_CAPACITY = 10_000;

    private final ContainerSettings settings;

    private final Clock clock;

    private final DueTimer timer;

    private final Duration maxDelay;

    private final ContainerCounters counters;

    private final HopSender hops;

    private final Executor hopThreads;

    private final Settlement settlement;

    private final Consumer<HeldMessage> due;

    private final Map<String, HeldMessage> byId = new ConcurrentHashMap<>();

    private final Map<String, Boolean> recentlyAcknowledged = new LinkedHashMap<>(16, 0.75f, false) {

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RECENT_CAPACITY;
        }

    };

    private final AtomicBoolean skewLogged = new AtomicBoolean();

    MessageHold(ContainerSettings settings, Clock clock, DueTimer timer, Duration maxDelay, ContainerCounters counters,
            HopSender hops, Executor hopThreads, Settlement settlement, Consumer<HeldMessage> due) {
        this.settings = settings;
        this.clock = clock;
        this.timer = timer;
        this.maxDelay = maxDelay;
        this.counters = counters;
        this.hops = hops;
        this.hopThreads = hopThreads;
        this.settlement = settlement;
        this.due = due;
    }

    /**
     * Reads a received copy and takes it in: as a new message (returned, to be accounted for by the caller), or
     * joined to the message it is a copy of, or settled at once (null for both).
     */
    @Nullable HeldMessage arrive(Lease lease, Instant receivedAt) {
        MessageView view = lease.view;
        Map<String, String> properties = view.getProperties();
        Delivery delivery;
        RuntimeException unreadable = null;
        try {
            delivery = DeliveryReader.read(view, properties, settings.producer().name(), receivedAt);
        }
        catch (RuntimeException ex) {
            delivery = null;
            unreadable = ex;
        }
        HeldMessage message = new HeldMessage(lease, properties, receivedAt, delivery, unreadable);
        HeldMessage present = byId.putIfAbsent(message.messageId(), message);
        if (present != null && present.stage() != HeldMessage.Stage.DONE) {
            present.join(lease);
            counters.copiesJoined.increment();
            LOG.debug("A second copy of message " + message.messageId() + " arrived in group '" + settings.group()
                + "' while it is held; it is handled once with the first");
            return null;
        }
        if (present != null) {
            // Done with: acknowledged (or being acknowledged) here, this copy is a duplicate; given back or
            // forgotten, it is the broker's redelivery, to be handled.
            if (present.isAcknowledged()) {
                message.copyOfAcknowledged();
            }
            byId.put(message.messageId(), message);
        }
        return message;
    }

    /** Routes a message just taken in: settled at once, sent on, held until due, or due now. */
    void hold(HeldMessage message) {
        Delivery delivery = message.delivery;
        if (delivery == null) {
            due.accept(message);
            return;
        }
        String target = delivery.targetGroup();
        if (target != null && !target.equals(settings.group())) {
            counters.otherGroups.increment();
            settlement.acknowledge(message);
            return;
        }
        if (message.isCopyOfAcknowledged() || wasAcknowledged(message.messageId())) {
            counters.copiesJoined.increment();
            settlement.acknowledge(message);
            return;
        }
        Instant now = clock.instant();
        if (!delivery.dueAt().isAfter(now)) {
            due.accept(message);
            return;
        }
        counters.heldEarly.increment();
        if (Duration.between(now, delivery.dueAt()).compareTo(settings.holdHorizon()) > 0 && mayHop(message, delivery, now)) {
            if (message.advance(HeldMessage.Stage.HELD, HeldMessage.Stage.HANDLING)) {
                hopThreads.execute(() -> settle(message, hops.sendOn(message, delivery)));
            }
            return;
        }
        message.timer(timer.schedule(delivery.dueAt(), () -> due.accept(message)));
    }

    /**
     * Whether a message due beyond the horizon may hop, rather than wait here. Not when hopping would loop:
     * <ul>
     * <li>it has hopped more often than its delay needs, counted on its sender's own clock (from its first send
     * to its due time, one hop per {@code max-delay}) plus one;</li>
     * <li>it has hopped, and the broker released it well before the time it was asked to: this application's
     * clock is behind the broker's, and every hop would come back at once. It waits here until due by this
     * application's clock (late by the skew).</li>
     * </ul>
     */
    private boolean mayHop(HeldMessage message, Delivery delivery, Instant now) {
        long total = Math.max(0, Duration.between(delivery.firstSentAt(), delivery.dueAt()).toMillis());
        long needed = (total + maxDelay.toMillis() - 1) / maxDelay.toMillis();
        if (delivery.hops() > needed) {
            LOG.warn("Message " + message.messageId() + " (key " + delivery.businessKey() + ") of group '"
                + settings.group() + "' has hopped " + delivery.hops() + " times, more than its delay needs; holding it "
                + "until due instead of sending it on again");
            return false;
        }
        if (delivery.hops() > 0) {
            long asked = message.view().getDeliveryTimestamp().orElse(0L);
            Duration ahead = Duration.ofMillis(asked - now.toEpochMilli());
            if (ahead.compareTo(SKEW_TOLERANCE) > 0) {
                if (skewLogged.compareAndSet(false, true)) {
                    LOG.warn("The broker released a hop of group '" + settings.group() + "' " + ahead.toMillis()
                        + " ms before the time it was asked to, by this application's clock: the clock here is behind "
                        + "the broker's. Such messages are held until due by this clock instead of sent on again (their "
                        + "handlers run late by the difference); keep the hosts' clocks in sync (NTP)");
                }
                return false;
            }
        }
        return true;
    }

    private void settle(HeldMessage message, Disposition disposition) {
        switch (disposition.kind()) {
            case ACKNOWLEDGE -> settlement.acknowledge(message);
            case GIVE_BACK -> settlement.giveBack(message, disposition.why());
            case FORGET -> settlement.forget(message);
        }
    }

    /** Forgets a message whose hold has ended; remembers it for late copies when it was acknowledged. */
    void released(HeldMessage message, boolean acknowledged) {
        // Remembered before it is forgotten: a copy arriving in between finds one or the other.
        if (acknowledged) {
            synchronized (recentlyAcknowledged) {
                recentlyAcknowledged.put(message.messageId(), Boolean.TRUE);
            }
        }
        byId.remove(message.messageId(), message);
    }

    private boolean wasAcknowledged(String messageId) {
        synchronized (recentlyAcknowledged) {
            return recentlyAcknowledged.containsKey(messageId);
        }
    }

    /** Every message here now: held, queued, handled. */
    Collection<HeldMessage> messages() {
        return byId.values();
    }

    boolean isEmpty() {
        return byId.isEmpty();
    }

}
