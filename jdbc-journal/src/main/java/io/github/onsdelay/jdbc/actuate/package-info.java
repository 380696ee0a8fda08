/**
 * The {@code onsdelayexhausted} and {@code onsdelayparked} actuator endpoints: exhausted messages and parked outbox
 * rows listed and replayed over HTTP or JMX.
 */
@NullMarked
package io.github.onsdelay.jdbc.actuate;

import org.jspecify.annotations.NullMarked;
