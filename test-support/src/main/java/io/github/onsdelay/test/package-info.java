/**
 * Fixtures the project's own tests share: plain RocketMQ clients that record what they see, the timing
 * tolerances, the test application, and {@link io.github.onsdelay.test.FaultProxy} to make the network fail.
 */
@NullMarked
package io.github.onsdelay.test;

import org.jspecify.annotations.NullMarked;
