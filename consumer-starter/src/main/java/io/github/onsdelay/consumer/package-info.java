/**
 * Annotated consumers of delayed messages: {@link io.github.onsdelay.consumer.OnsListener}, what a handler
 * learns of a delivery, and what happens when a message's retries are used up.
 */
@NullMarked
package io.github.onsdelay.consumer;

import org.jspecify.annotations.NullMarked;
