/**
 * Actuator support of the RocketMQ client: its health.
 */
@NullMarked
package io.github.onsdelay.core.actuate;

import org.jspecify.annotations.NullMarked;
