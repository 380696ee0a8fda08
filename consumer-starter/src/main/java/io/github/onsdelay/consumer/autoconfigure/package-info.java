/**
 * Auto-configuration of {@code @OnsListener} consumers.
 */
@NullMarked
package io.github.onsdelay.consumer.autoconfigure;

import org.jspecify.annotations.NullMarked;
