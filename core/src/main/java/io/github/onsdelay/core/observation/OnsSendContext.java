package io.github.onsdelay.core.observation;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.onsdelay.core.TimedMessage;
import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link OnsSendObservation} knows of a send. Its carrier is the map of properties the message
 * will carry: a tracing handler writes the trace context into it.
 */
public class OnsSendContext extends SenderContext<Map<String, String>> {

    private final TimedMessage message;

    private final boolean hop;

    private @Nullable String messageId;

    public OnsSendContext(TimedMessage message, boolean hop) {
        super((carrier, key, value) -> {
            if (carrier != null) {
                carrier.put(key, value);
            }
        });
        setCarrier(new LinkedHashMap<>());
        setRemoteServiceName("rocketmq");
        this.message = message;
        this.hop = hop;
    }

    public TimedMessage getMessage() {
        return message;
    }

    public boolean isHop() {
        return hop;
    }

    /** The broker's message id, once it accepted the message. */
    public @Nullable String getMessageId() {
        return messageId;
    }

    public void setMessageId(@Nullable String messageId) {
        this.messageId = messageId;
    }

}
