package io.github.onsdelay.core;

import org.jspecify.annotations.Nullable;

/**
 * A message could not be sent: the broker refused it, did not answer within the send timeout, or the
 * payload could not be converted. Nothing was acknowledged to the caller as sent.
 */
public class OnsSendException extends OnsDelayException {

    private final String producer;

    private final String topic;

    public OnsSendException(String producer, String topic, String reason, @Nullable Throwable cause) {
        super("Producer '" + producer + "' could not send to topic '" + topic + "': " + reason, cause);
        this.producer = producer;
        this.topic = topic;
    }

    public String getProducer() {
        return this.producer;
    }

    public String getTopic() {
        return this.topic;
    }

}
