package io.github.onsdelay.core.observation;

import io.micrometer.common.KeyValues;

/**
 * The default names and tags of an {@link OnsSendObservation}: {@code ons.delay.send}, tagged by producer,
 * topic, attempt, hop and outcome; the business key and message id on the span.
 */
public class DefaultOnsSendObservationConvention implements OnsSendObservationConvention {

    @Override
    public String getName() {
        return "ons.delay.send";
    }

    @Override
    public String getContextualName(OnsSendContext context) {
        return context.getMessage().topic() + " send";
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(OnsSendContext context) {
        return KeyValues.of(
            OnsSendObservation.LowCardinalityKeys.PRODUCER.withValue(context.getMessage().producer()),
            OnsSendObservation.LowCardinalityKeys.TOPIC.withValue(context.getMessage().topic()),
            OnsSendObservation.LowCardinalityKeys.ATTEMPT.withValue(Integer.toString(context.getMessage().attempt())),
            OnsSendObservation.LowCardinalityKeys.HOP.withValue(Boolean.toString(context.isHop())),
            OnsSendObservation.LowCardinalityKeys.OUTCOME.withValue(context.getError() == null ? "success" : "failure"));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(OnsSendContext context) {
        String messageId = context.getMessageId();
        return KeyValues.of(
            OnsSendObservation.HighCardinalityKeys.BUSINESS_KEY.withValue(context.getMessage().businessKey()),
            OnsSendObservation.HighCardinalityKeys.MESSAGE_ID.withValue(messageId == null ? "" : messageId));
    }

}
