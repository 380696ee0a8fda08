/**
 * Observations of sends: their documentation, context and conventions.
 */
@NullMarked
package io.github.onsdelay.core.observation;

import org.jspecify.annotations.NullMarked;
