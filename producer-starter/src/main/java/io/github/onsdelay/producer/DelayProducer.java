package io.github.onsdelay.producer;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import io.github.onsdelay.core.OnsSendException;
import io.github.onsdelay.core.RetrySchedule;

/**
 * Sends a producer's messages for a future time: attempt 0 after the initial delay, attempt n after the
 * n-th retry delay, or at an absolute time. Every send is a timed RocketMQ message, so one DELAY topic
 * serves all of them.
 *
 * <p>Sync sends throw {@link OnsSendException} when the broker does not accept the message within the
 * send timeout; async sends complete exceptionally with it. An attempt beyond the retry delays sends
 * nothing and returns a result whose {@link SendResult#isSent()} is false.
 */
public interface DelayProducer {

    /** The producer's name: its {@code mqs.ons.producers} key, which consumers refer to. */
    String getName();

    /** Where it sends, when each attempt is due, and how. */
    ProducerSettings getSettings();

    /** When each attempt is due. */
    default RetrySchedule getSchedule() {
        return getSettings().schedule();
    }

    /** Sends attempt 0, due after the initial delay. */
    default SendResult send(Object payload) {
        return send(DelayMessage.of(payload));
    }

    /**
     * Sends attempt {@code attempt}: 0 is due after the initial delay, n after {@code delays[n-1]}, for
     * callers who made the first try themselves.
     */
    default SendResult send(Object payload, int attempt) {
        return send(DelayMessage.of(payload).withAttempt(attempt));
    }

    /**
     * Sends a retry counted the way the original ONS code counts them: {@code times} is how many pushes
     * already failed, 0 after the caller's own direct push failed. The message is attempt {@code times + 1}, due
     * {@code delays[times]} from now (the original's {@code delaySecondList[times]}); beyond the list nothing is
     * sent and {@link SendResult#isSent()} is false, where the original returned. Use this, not
     * {@link #send(Object, int)}, when porting: ons-delay's attempt 0 is the first delivery at the initial
     * delay, so passing the original's {@code times} as the attempt would run its first retry at once.
     *
     * @throws IllegalArgumentException when {@code times} is negative
     */
    default SendResult sendAfterFailures(Object payload, int times) {
        if (times < 0) {
            throw new IllegalArgumentException("times=" + times + " counts pushes that already failed: 0 or more");
        }
        return send(DelayMessage.of(payload).withAttempt(times + 1));
    }

    /** Sends a message due at an absolute time, such as a coupon template's end time. */
    default SendResult deliverAt(Object payload, Instant dueAt) {
        return send(DelayMessage.of(payload).withDeliverAt(dueAt));
    }

    /** Sends a message with its own options (attempt or absolute time, business key, tag). */
    SendResult send(DelayMessage message);

    default CompletableFuture<SendResult> sendAsync(Object payload) {
        return sendAsync(DelayMessage.of(payload));
    }

    default CompletableFuture<SendResult> sendAsync(Object payload, int attempt) {
        return sendAsync(DelayMessage.of(payload).withAttempt(attempt));
    }

    default CompletableFuture<SendResult> deliverAtAsync(Object payload, Instant dueAt) {
        return sendAsync(DelayMessage.of(payload).withDeliverAt(dueAt));
    }

    CompletableFuture<SendResult> sendAsync(DelayMessage message);

    /**
     * Asks the broker to take back a message before it releases it, by the recall handle of its send. The
     * broker alone can do no more: a message that already hopped or was retried has a new handle, and the
     * broker cannot say whether the message existed. RocketMQ 5.3.2+ with {@code recallMessageEnable=true}.
     *
     * @return false when the result has no recall handle (nothing sent, or pending in a journal)
     * @throws io.github.onsdelay.core.OnsSendException when the broker refuses the recall
     */
    boolean recall(SendResult result);

    /**
     * Cancels every scheduled message of this producer with this business key, so that its handler never
     * runs: what the broker still holds is recalled, and a tombstone stops a hop or a retry. Inside a
     * transaction, all of it takes effect only when that transaction commits: the recall follows the commit, and
     * a rollback leaves every message as it was. Needs the journal of {@code ons-delay-jdbc} (a DataSource);
     * without it, use {@link #recall(SendResult)}.
     *
     * @throws io.github.onsdelay.core.OnsConfigurationException when there is no journal
     */
    CancelResult cancel(String businessKey);


    /**
     * Makes the key's pending message run at {@code dueAt} instead, as one operation: the old one never runs (it is
     * recalled, withdrawn or stopped by a tombstone, as {@link #cancel} does) and a new one with the same body runs
     * once. Outside a transaction it commits by itself; inside one, with it (a rollback leaves the old message as it
     * was). Two reschedules of one key take turns: the later one moves what the earlier one made. A message whose due
     * time has passed is left as it is ({@code ALREADY_DUE}). Needs the journal of {@code ons-delay-jdbc}, and a
     * message sent inside a transaction (only those are journaled).
     *
     * @throws io.github.onsdelay.core.OnsConfigurationException when there is no journal
     */
    RescheduleResult reschedule(String businessKey, Instant dueAt);

}
