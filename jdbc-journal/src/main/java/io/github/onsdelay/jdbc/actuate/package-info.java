/**
 * The {@code onsdelayexhausted} actuator endpoint: exhausted messages listed and replayed over HTTP or JMX.
 */
@NullMarked
package io.github.onsdelay.jdbc.actuate;

import org.jspecify.annotations.NullMarked;
