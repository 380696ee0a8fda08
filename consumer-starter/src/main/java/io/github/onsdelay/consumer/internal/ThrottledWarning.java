package io.github.onsdelay.consumer.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;

/**
 * One kind of recurring problem of a group, logged at WARN at most once per period with the count so far, and at
 * DEBUG in between: a partition or a burst of failures does not flood the log, but always shows in it.
 */
final class ThrottledWarning {

    private final Log log;

    private final long everyNanos;

    /** When it was last logged at WARN; starts a period ago, so that the first one is. */
    private final AtomicLong lastWarned;

    ThrottledWarning(Log log, Duration every) {
        this.log = log;
        this.everyNanos = every.toNanos();
        this.lastWarned = new AtomicLong(System.nanoTime() - everyNanos);
    }

    /**
     * @param text what happened, to this message
     * @param soFar how many of its kind there were so far, as a phrase ("renewal failures in this group so far: 3")
     */
    void log(String text, String soFar) {
        long now = System.nanoTime();
        long last = lastWarned.get();
        if (now - last >= everyNanos && lastWarned.compareAndSet(last, now)) {
            log.warn(text + " (" + soFar + "; further ones within " + Duration.ofNanos(everyNanos).toSeconds()
                + " s are logged at DEBUG)");
        }
        else if (log.isDebugEnabled()) {
            log.debug(text);
        }
    }

}
