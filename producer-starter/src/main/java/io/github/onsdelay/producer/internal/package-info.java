/**
 * The machinery behind producers, shared with the consumer starter's re-sends. Not an API: it may change
 * in any release.
 */
@NullMarked
package io.github.onsdelay.producer.internal;

import org.jspecify.annotations.NullMarked;
