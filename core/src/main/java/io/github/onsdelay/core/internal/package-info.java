/**
 * What the core's auto-configuration wires and nobody else uses: verified TLS for rocketmq-client-java's
 * channels. Not API: it may change in any release.
 */
@NullMarked
package io.github.onsdelay.core.internal;

import org.jspecify.annotations.NullMarked;
