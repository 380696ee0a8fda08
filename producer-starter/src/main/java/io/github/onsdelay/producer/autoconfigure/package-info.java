/**
 * Auto-configuration of ons-delay producers: the client, the rocketmq-client-java producer and one bean
 * per {@code mqs.ons.producers} entry.
 */
@NullMarked
package io.github.onsdelay.producer.autoconfigure;

import org.jspecify.annotations.NullMarked;
