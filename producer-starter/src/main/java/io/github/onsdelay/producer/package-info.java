/**
 * Producers of delayed and retried messages: {@link io.github.onsdelay.producer.DelayProducer}, the
 * {@link io.github.onsdelay.producer.AbstractProducer} to subclass, and what a send returns.
 */
@NullMarked
package io.github.onsdelay.producer;

import org.jspecify.annotations.NullMarked;
