/**
 * A real RocketMQ 5 server (NameServer, Broker with timer wheel, gRPC proxy) inside the current JVM, for
 * tests ({@link io.github.onsdelay.embedded.EmbeddedRocketMQ}) and demos.
 */
@NullMarked
package io.github.onsdelay.embedded;

import org.jspecify.annotations.NullMarked;
