package io.github.onsdelay.consumer.internal;

import java.util.Map;

import io.github.onsdelay.consumer.DeliveryContext;
import io.github.onsdelay.consumer.observation.DefaultOnsListenerObservationConvention;
import io.github.onsdelay.consumer.observation.OnsListenerContext;
import io.github.onsdelay.consumer.observation.OnsListenerObservation;
import io.github.onsdelay.core.OnsMessageProperties;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Sends on a message due too far ahead to hold, as a hop that keeps its due time, attempt and key, addressed to
 * this group and counting its hops; acknowledged once the broker accepted it. The filters run first, so that a
 * cancelled message stops hopping here rather than at its last leg, days later; should a filter fail, the message
 * hops on and its last leg asks again. Any failure of the send gives the delivery back.
 */
final class HopSender {

    private static final Log LOG = LogFactory.getLog(HopSender.class);

    private final String group;

    private final MessageResender resender;

    private final FilterChain filters;

    private final DeliveryHandler contexts;

    private final ContainerCounters counters;

    private final ObservationRegistry observations;

    HopSender(String group, MessageResender resender, FilterChain filters, DeliveryHandler contexts,
            ContainerCounters counters, ObservationRegistry observations) {
        this.group = group;
        this.resender = resender;
        this.filters = filters;
        this.contexts = contexts;
        this.counters = counters;
        this.observations = observations;
    }

    Disposition sendOn(HeldMessage message, Delivery delivery) {
        OnsListenerContext observed = new OnsListenerContext(message.properties, group, delivery.producer(),
            delivery.attempt(), delivery.businessKey(), message.messageId());
        observed.setOutcome("hop");
        Observation observation = OnsListenerObservation.HOP.observation(null,
            DefaultOnsListenerObservationConvention.HOP, () -> observed, observations).start();
        try (Observation.Scope scope = observation.openScope()) {
            DeliveryContext context = contexts.context(message, delivery);
            String skippedBy = skippedBy(context);
            if (skippedBy != null) {
                observed.setOutcome(skippedBy);
                return Disposition.ACKNOWLEDGE;
            }
            resender.send(message, delivery, delivery.attempt(), delivery.dueAt(),
                Map.of(OnsMessageProperties.HOPS, Integer.toString(delivery.hops() + 1)));
            counters.hops.increment();
            return Disposition.ACKNOWLEDGE;
        }
        catch (RuntimeException ex) {
            observed.setOutcome("redelivered");
            observation.error(ex);
            LOG.warn("Could not send on key " + delivery.businessKey() + " (due " + delivery.dueAt() + ") for group '"
                + group + "'; giving the delivery back to the broker to be delivered again: " + ex.getMessage());
            return Disposition.giveBack("its hop could not be sent: " + ex.getMessage());
        }
        finally {
            observation.stop();
        }
    }

    private @org.jspecify.annotations.Nullable String skippedBy(DeliveryContext context) {
        try {
            return filters.skippedBy(context);
        }
        catch (RuntimeException ex) {
            LOG.warn("A filter of group '" + group + "' failed for key " + context.businessKey() + " before its hop; "
                + "sending it on, its last leg asks again: " + ex);
            return null;
        }
    }

}
