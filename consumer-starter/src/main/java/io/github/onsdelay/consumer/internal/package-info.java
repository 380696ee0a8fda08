/**
 * The machinery behind {@code @OnsListener}: discovery, one container per listener (a simple consumer, a
 * due timer, a bounded handler dispatch), and what happens to each delivery. Not an API: it may change in any release.
 */
@NullMarked
package io.github.onsdelay.consumer.internal;

import org.jspecify.annotations.NullMarked;
