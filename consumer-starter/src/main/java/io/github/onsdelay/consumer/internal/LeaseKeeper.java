package io.github.onsdelay.consumer.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the leases of what one session holds, from its start to its close:
 * <ol>
 * <li>a tick, a tenth of {@code renew-before} apart (100-500 ms), renews every lease whose invisibility ends within
 * {@code renew-before}; a {@link Lease} whose renewal failed is tried again at the next tick until it ends;</li>
 * <li>at the same tick, an acknowledgement or give-back still waiting its turn whose lease ends within
 * {@code renew-before} starts at once ({@link SettlementCalls#startEndingBy}): it is not renewed while it waits;</li>
 * <li>renewals, failures and lost leases are counted; failures and losses are logged at WARN at most once per 10 s
 * per group, the rest at DEBUG, so that a partition does not flood the log but always shows in it.</li>
 * </ol>
 */
final class LeaseKeeper implements Lease.LeaseEvents {

    private static final Log LOG = LogFactory.getLog(LeaseKeeper.class);

    /** How often a failing renewal or a lost lease is logged at WARN at most; the rest at DEBUG. */
    private static final Duration WARN_EVERY = Duration.ofSeconds(10);

    private final String group;

    private final Duration renewBefore;

    private final ContainerCounters counters;

    private final MessageHold hold;

    private final SettlementCalls settlementCalls;

    private final ThrottledWarning renewalWarnings = new ThrottledWarning(LOG, WARN_EVERY);

    private final ThrottledWarning lossWarnings = new ThrottledWarning(LOG, WARN_EVERY);

    private @Nullable ScheduledFuture<?> ticks;

    LeaseKeeper(String group, Duration renewBefore, ContainerCounters counters, MessageHold hold,
            SettlementCalls settlementCalls) {
        this.group = group;
        this.renewBefore = renewBefore;
        this.counters = counters;
        this.hold = hold;
        this.settlementCalls = settlementCalls;
    }

    void start(ScheduledExecutorService housekeeping) {
        long period = Math.max(100, Math.min(500, renewBefore.toMillis() / 10));
        ticks = housekeeping.scheduleWithFixedDelay(this::renewDue, period, period, TimeUnit.MILLISECONDS);
    }

    void stop() {
        ScheduledFuture<?> running = ticks;
        if (running != null) {
            running.cancel(false);
        }
    }

    private void renewDue() {
        long now = System.nanoTime();
        long before = renewBefore.toNanos();
        for (HeldMessage message : hold.messages()) {
            if (message.stage() != HeldMessage.Stage.DONE) {
                for (Lease lease : message.leases()) {
                    lease.renewIfDue(now, before);
                }
            }
        }
        settlementCalls.startEndingBy(now + before);
    }

    @Override
    public void renewed(Lease lease, int failuresBefore) {
        counters.renewals.increment();
        if (failuresBefore > 0) {
            LOG.info("Renewed the lease of message " + lease.view.getMessageId() + " of group '" + group + "' after "
                + failuresBefore + " failed renewal(s)");
        }
    }

    @Override
    public void renewalFailed(Lease lease, int failures, Throwable failure) {
        counters.renewalFailures.increment();
        renewalWarnings.log("Renewing the lease of message " + lease.view.getMessageId() + " of group '" + group
            + "' failed (" + failures + " time(s); " + failure + "); trying again until its invisibility ends",
            "renewal failures in this group so far: " + counters.renewalFailures.sum());
    }

    @Override
    public void lost(Lease lease, int failures) {
        counters.leasesLost.increment();
        lossWarnings.log("The lease of message " + lease.view.getMessageId() + " of group '" + group
            + "' was lost: its invisibility ended after " + failures + " failed renewal(s), so the broker may deliver "
            + "it to another consumer; what its handler does here is not applied",
            "leases lost in this group so far: " + counters.leasesLost.sum());
    }

}
