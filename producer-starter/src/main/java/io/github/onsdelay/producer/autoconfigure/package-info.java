/**
 * Auto-configuration of ons-delay producers: the registry, one bean per {@code mqs.ons.producers} entry,
 * and the binding of {@code AbstractProducer} subclasses.
 */
@NullMarked
package io.github.onsdelay.producer.autoconfigure;

import org.jspecify.annotations.NullMarked;
