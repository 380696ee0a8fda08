package io.github.onsdelay.consumer.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.apache.rocketmq.client.java.message.MessageViewImpl;

/**
 * Mends the receipt handle a proxy returns for a renewal, so that the next renewal or acknowledgement with it
 * finds the renewed lease.
 *
 * <p>A proxy in LOCAL mode (inside the broker, as the embedded server and many deployments run it; read in
 * RocketMQ 5.3.3's and 5.5.0's {@code LocalMessageService.changeInvisibleTime}) builds the renewed handle with
 * the start offset of the receive batch the message came in, while the broker's renewed checkpoint starts at the
 * message's own offset ({@code ChangeInvisibleTimeProcessor}). For every message but the first of its batch, the
 * next renewal or acknowledgement with that handle then names a checkpoint that does not exist: it reports
 * success and does nothing, and once the renewed invisibility ends the broker delivers the message again, while
 * its handler still runs or after it was acknowledged (apache/rocketmq#9583 describes the symptom). A proxy in
 * CLUSTER mode already returns the message's own offset, and the handle is then left as it is.
 *
 * <p>The handle is the proxy's {@code startOffset retrieveTime invisibleTime reviveQueueId topicType
 * brokerName queueId offset [commitLogOffset]}, read off rocketmq-client-java 5.2.0's {@link MessageViewImpl};
 * a handle or view of another shape is left alone, and that is logged once at WARN.
 */
final class ReceiptHandles {

    private static final Log LOG = LogFactory.getLog(ReceiptHandles.class);

    private static final AtomicBoolean UNSUPPORTED_LOGGED = new AtomicBoolean();

    private static final AtomicBoolean MENDED_LOGGED = new AtomicBoolean();

    private static final int START_OFFSET = 0;

    private static final int OFFSET = 7;

    private ReceiptHandles() {
    }

    /**
     * Makes a renewed handle name the message's own offset as its checkpoint's start.
     *
     * @return whether the handle was changed
     */
    static boolean mendAfterRenewal(MessageView view) {
        if (!(view instanceof MessageViewImpl impl)) {
            unsupported("the message view is a " + view.getClass().getName());
            return false;
        }
        String handle = impl.getReceiptHandle();
        String[] fields = handle.split(" ");
        if (fields.length < OFFSET + 1 || !isNumber(fields[START_OFFSET]) || !isNumber(fields[OFFSET])) {
            unsupported("the receipt handle has " + fields.length + " fields");
            return false;
        }
        if (fields[START_OFFSET].equals(fields[OFFSET])) {
            return false;
        }
        fields[START_OFFSET] = fields[OFFSET];
        impl.setReceiptHandle(String.join(" ", fields));
        if (MENDED_LOGGED.compareAndSet(false, true)) {
            LOG.info("The proxy returns renewed receipt handles that name the first offset of the receive batch (a "
                + "LOCAL-mode proxy); ons-delay mends them so that later renewals and acknowledgements take");
        }
        return true;
    }

    private static boolean isNumber(String field) {
        if (field.isEmpty()) {
            return false;
        }
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if ((c < '0' || c > '9') && !(i == 0 && c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static void unsupported(String why) {
        if (UNSUPPORTED_LOGGED.compareAndSet(false, true)) {
            LOG.warn("Cannot read the receipt handles of this rocketmq-client-java or proxy (" + why + "): against a "
                + "LOCAL-mode proxy, a message renewed while held may be delivered again after its acknowledgement");
        }
    }

}
