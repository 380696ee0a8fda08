package io.github.onsdelay.consumer.observation;

import io.micrometer.common.KeyValues;

/**
 * The default names and tags of an {@link OnsListenerObservation}: {@code ons.delay.handler} (a hop:
 * {@code ons.delay.hop}), tagged by group, producer, attempt and outcome; the business key and message id
 * on the span.
 */
public class DefaultOnsListenerObservationConvention implements OnsListenerObservationConvention {

    /** The convention of {@link OnsListenerObservation#HOP}: the same keys, named {@code ons.delay.hop}. */
    public static final DefaultOnsListenerObservationConvention HOP = new DefaultOnsListenerObservationConvention(
        "ons.delay.hop");

    private final String name;

    public DefaultOnsListenerObservationConvention() {
        this("ons.delay.handler");
    }

    protected DefaultOnsListenerObservationConvention(String name) {
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getContextualName(OnsListenerContext context) {
        return context.getGroup() + (name.equals("ons.delay.hop") ? " hop" : " handle");
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(OnsListenerContext context) {
        return KeyValues.of(
            OnsListenerObservation.LowCardinalityKeys.GROUP.withValue(context.getGroup()),
            OnsListenerObservation.LowCardinalityKeys.PRODUCER.withValue(context.getProducer()),
            OnsListenerObservation.LowCardinalityKeys.ATTEMPT.withValue(Integer.toString(context.getAttempt())),
            OnsListenerObservation.LowCardinalityKeys.OUTCOME.withValue(context.getOutcome()));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(OnsListenerContext context) {
        return KeyValues.of(
            OnsListenerObservation.HighCardinalityKeys.BUSINESS_KEY.withValue(context.getBusinessKey()),
            OnsListenerObservation.HighCardinalityKeys.MESSAGE_ID.withValue(context.getMessageId()));
    }

}
