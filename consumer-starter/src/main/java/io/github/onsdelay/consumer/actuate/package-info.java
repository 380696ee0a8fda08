/**
 * Actuator support of the listeners: the {@code onsdelay} endpoint, the report it shows, and their health.
 */
@NullMarked
package io.github.onsdelay.consumer.actuate;

import org.jspecify.annotations.NullMarked;
