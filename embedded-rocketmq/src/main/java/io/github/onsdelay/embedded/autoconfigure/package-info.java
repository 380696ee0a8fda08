/**
 * Starts an embedded RocketMQ for an application when {@code mqs.ons.embedded.enabled=true}.
 */
@NullMarked
package io.github.onsdelay.embedded.autoconfigure;

import org.jspecify.annotations.NullMarked;
