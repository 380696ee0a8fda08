package io.github.onsdelay.consumer.observation;

import java.util.Map;

import io.micrometer.observation.transport.ReceiverContext;

/**
 * What an {@link OnsListenerObservation} knows of a due message: its carrier is the message's properties,
 * from which a tracing handler reads the trace context the send wrote.
 */
public class OnsListenerContext extends ReceiverContext<Map<String, String>> {

    private final String group;

    private final String producer;

    private final int attempt;

    private final String businessKey;

    private final String messageId;

    private String outcome = "success";

    public OnsListenerContext(Map<String, String> properties, String group, String producer, int attempt,
            String businessKey, String messageId) {
        super((carrier, key) -> carrier.get(key));
        setCarrier(properties);
        setRemoteServiceName("rocketmq");
        this.group = group;
        this.producer = producer;
        this.attempt = attempt;
        this.businessKey = businessKey;
        this.messageId = messageId;
    }

    public String getGroup() {
        return group;
    }

    public String getProducer() {
        return producer;
    }

    public int getAttempt() {
        return attempt;
    }

    public String getBusinessKey() {
        return businessKey;
    }

    public String getMessageId() {
        return messageId;
    }

    /** What came of it; see {@link OnsListenerObservation.LowCardinalityKeys#OUTCOME}. */
    public String getOutcome() {
        return outcome;
    }

    public void setOutcome(String outcome) {
        this.outcome = outcome;
    }

}
