/**
 * Observations of listeners' handler runs: their documentation, context and conventions.
 */
@NullMarked
package io.github.onsdelay.consumer.observation;

import org.jspecify.annotations.NullMarked;
