package io.github.onsdelay.consumer.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags {@link OnsListenerObservation}s; declare a bean of this type to replace
 * {@link DefaultOnsListenerObservationConvention}.
 */
public interface OnsListenerObservationConvention extends ObservationConvention<OnsListenerContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof OnsListenerContext;
    }

}
