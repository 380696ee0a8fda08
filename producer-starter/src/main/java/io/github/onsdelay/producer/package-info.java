/**
 * Producers of delayed and retried messages: {@link io.github.onsdelay.producer.DelayProducer}, the
 * {@link io.github.onsdelay.producer.AbstractProducer} to subclass, and the message properties they set.
 */
@NullMarked
package io.github.onsdelay.producer;

import org.jspecify.annotations.NullMarked;
