package io.github.onsdelay.core.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags {@link OnsSendObservation}s; declare a bean of this type to replace
 * {@link DefaultOnsSendObservationConvention}.
 */
public interface OnsSendObservationConvention extends ObservationConvention<OnsSendContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof OnsSendContext;
    }

}
