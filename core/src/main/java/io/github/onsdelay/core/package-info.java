/**
 * The timed-message core both ons-delay starters use: {@link io.github.onsdelay.core.TimedMessageSender}
 * (delivery lead, hops), the message properties, payload conversion and the exceptions.
 */
@NullMarked
package io.github.onsdelay.core;

import org.jspecify.annotations.NullMarked;
