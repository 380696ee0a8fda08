package io.github.onsdelay.benchmarks;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.onsdelay.benchmarks.peers.Peer;
import io.github.onsdelay.benchmarks.peers.Versions;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * ons-delay as an application declares it: producer {@code peer-delay} ({@code deliverAt} for a delay) and
 * producer {@code peer-retry} with {@code delays: 1s}, each with an {@code @OnsListener} (defaults: concurrency 20,
 * delivery lead timer precision + 500 ms), on the embedded server the rocketmq-spring peer uses too.
 */
final class OnsDelayPeer implements Peer {

    static final String DELAY_TOPIC = "peer_ons_delay";

    static final String RETRY_TOPIC = "peer_ons_retry";

    private final EmbeddedRocketMQBroker broker;

    private ConfigurableApplicationContext context;

    private DelayProducer delayed;

    private DelayProducer retried;

    OnsDelayPeer(EmbeddedRocketMQBroker broker) {
        this.broker = broker;
    }

    @Override
    public String name() {
        return "ons-delay";
    }

    @Override
    public String settings() {
        return "ons-delay " + Versions.of("io.github.onsdelay", "ons-delay-core", DelayProducer.class)
            + " (rocketmq-client-java " + Versions.of("org.apache.rocketmq", "rocketmq-client-java", ClientServiceProvider.class)
            + "), Spring Boot " + SpringBootVersion.getVersion()
            + "; @OnsListener defaults (concurrency 20, delivery lead = timer precision + 500 ms); RocketMQ "
            + broker.serverVersion() + " embedded (namesrv, broker, proxy in the benchmark's JVM), timer precision "
            + broker.timerPrecision().toMillis() + " ms (stock default)";
    }

    @Override
    public void start(Delivery delivery) {
        PeerListeners.delivery = delivery;
        context = new SpringApplicationBuilder(App.class)
            .web(WebApplicationType.NONE)
            .properties("mqs.ons.endpoints=" + broker.endpoints(),
                "mqs.ons.timer-precision=" + broker.timerPrecision().toMillis() + "ms",
                "mqs.ons.producers.peer-delay.topic=" + DELAY_TOPIC,
                "mqs.ons.producers.peer-delay.tag=peer",
                "mqs.ons.producers.peer-retry.topic=" + RETRY_TOPIC,
                "mqs.ons.producers.peer-retry.tag=peer",
                "mqs.ons.producers.peer-retry.delays=1s",
                LibraryApplication.WITHOUT_OBSERVABILITY)
            .run();
        delayed = context.getBean("peer-delay", DelayProducer.class);
        retried = context.getBean("peer-retry", DelayProducer.class);
    }

    @Override
    public void sendDelayed(String body, long dueEpochMillis) {
        delayed.deliverAt(new Payload(body, ""), Instant.ofEpochMilli(dueEpochMillis));
    }

    @Override
    public String asyncApi() {
        return "DelayProducer.deliverAtAsync";
    }

    @Override
    public CompletableFuture<?> sendDelayedAsync(List<String> bodies, long dueEpochMillis) {
        Instant due = Instant.ofEpochMilli(dueEpochMillis);
        return CompletableFuture.allOf(bodies.stream()
            .map(body -> delayed.deliverAtAsync(new Payload(body, ""), due))
            .toArray(CompletableFuture[]::new));
    }

    @Override
    public void sendRetried(String body) {
        retried.send(DelayMessage.of(new Payload(body, "")));
    }

    @Override
    public void close() {
        if (context != null) {
            context.close();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration(excludeName = LibraryApplication.NO_DATASOURCE)
    @Import(PeerListeners.class)
    static class App {

    }

}
