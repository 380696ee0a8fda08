package io.github.onsdelay.core.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observation of one send of a timed message: a producer's send, a consumer's retry, hop or dead-letter
 * forward. Its trace context travels in the message's properties, so the handler of the message, and of every
 * retry of it, is in the same trace. With Spring Boot's actuator, the same observation records the timer
 * {@code ons.delay.send}.
 */
public enum OnsSendObservation implements ObservationDocumentation {

    /** A timed message sent to the broker. */
    SEND {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultOnsSendObservationConvention.class;
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

        /** The producer's name. */
        PRODUCER {
            @Override
            public String asString() {
                return "ons.delay.producer";
            }
        },

        /** The topic sent to. */
        TOPIC {
            @Override
            public String asString() {
                return "messaging.destination.name";
            }
        },

        /** The attempt the message carries. */
        ATTEMPT {
            @Override
            public String asString() {
                return "ons.delay.attempt";
            }
        },

        /** Whether the message is a hop of a delay longer than the broker accepts at once. */
        HOP {
            @Override
            public String asString() {
                return "ons.delay.hop";
            }
        },

        /** {@code success} or {@code failure}. */
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

        /** The broker's message id, once the broker accepted it. */
        MESSAGE_ID {
            @Override
            public String asString() {
                return "messaging.message.id";
            }
        }

    }

}
