package io.github.onsdelay.consumer.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observation of one due message of a listener: its handler run and what follows it (the retry sent, or
 * the exhaustion). It continues the trace the message carries, and the retry it sends carries this one on,
 * so the send and every attempt of one message are one trace (each attempt a child of the one before).
 * With Spring Boot's actuator, the same observation records the timer {@code ons.delay.handler}.
 */
public enum OnsListenerObservation implements ObservationDocumentation {

    /** A due message handled by a listener. */
    HANDLER {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultOnsListenerObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return LowCardinalityKeys.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return HighCardinalityKeys.values();
        }
    },

    /** A message due too far ahead to hold, sent on as a hop: it carries the trace on. */
    HOP {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultOnsListenerObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return LowCardinalityKeys.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return HighCardinalityKeys.values();
        }
    };

    /** Keys of few values: they tag the timer. */
    public enum LowCardinalityKeys implements KeyName {

        /** The consumer group. */
        GROUP {
            @Override
            public String asString() {
                return "messaging.consumer.group.name";
            }
        },

        /** The producer whose message it is. */
        PRODUCER {
            @Override
            public String asString() {
                return "ons.delay.producer";
            }
        },

        /** The attempt. */
        ATTEMPT {
            @Override
            public String asString() {
                return "ons.delay.attempt";
            }
        },

        /**
         * What came of it: {@code success}, {@code retry}, {@code exhausted}, {@code poison},
         * {@code redelivered} (given back to the broker), or {@code hop}.
         */
        OUTCOME {
            @Override
            public String asString() {
                return "ons.delay.outcome";
            }
        }

    }

    /** Keys of many values: on the span only. */
    public enum HighCardinalityKeys implements KeyName {

        /** The business key, the same for every attempt of one message. */
        BUSINESS_KEY {
            @Override
            public String asString() {
                return "ons.delay.business.key";
            }
        },

        /** The broker's id of this delivery's message. */
        MESSAGE_ID {
            @Override
            public String asString() {
                return "messaging.message.id";
            }
        }

    }

}
