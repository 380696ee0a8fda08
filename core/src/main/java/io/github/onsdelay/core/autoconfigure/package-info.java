/**
 * Auto-configuration of the RocketMQ 5 client shared by the ons-delay starters, and its connection details.
 */
@NullMarked
package io.github.onsdelay.core.autoconfigure;

import org.jspecify.annotations.NullMarked;
