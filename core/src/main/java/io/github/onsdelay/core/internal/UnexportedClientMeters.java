package io.github.onsdelay.core.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.java.metrics.ClientMeterManager;
import org.apache.rocketmq.client.java.metrics.Metric;
import org.apache.rocketmq.client.java.misc.ClientId;

/**
 * The meter manager of a client with verified TLS: it never exports the client's own meters to where the server
 * asks.
 *
 * <p>A proxy may ask its clients (in their settings) to export their meters over OTLP to an endpoint of its choice;
 * rocketmq-client-java then opens a channel there that accepts any certificate, and no verified one can take its
 * place without rebuilding the client's exporter. With a trust bundle, the client so opens no such channel: the
 * request is logged once. ons-delay's own meters (Micrometer) are unaffected.
 */
final class UnexportedClientMeters extends ClientMeterManager {

    private static final Log LOG = LogFactory.getLog(UnexportedClientMeters.class);

    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    UnexportedClientMeters(ClientId clientId, ClientConfiguration configuration) {
        super(clientId, configuration);
    }

    @Override
    public synchronized void reset(Metric metric) {
        if (metric.isOn() && LOGGED.compareAndSet(false, true)) {
            LOG.info("The RocketMQ proxy asks its clients to export their meters to " + metric.getEndpoints()
                + "; with mqs.ons.ssl.bundle set they do not, because rocketmq-client-java would send them over TLS "
                + "that does not verify the server. ons-delay's own meters are unaffected");
        }
    }

}
