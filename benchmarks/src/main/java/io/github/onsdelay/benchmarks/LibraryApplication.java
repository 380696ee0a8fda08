package io.github.onsdelay.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * An application of the library on the benchmark's server, with a producer per scenario ({@code bench-send},
 * {@code bench-consume-lib}, {@code bench-lateness}, {@code bench-burst}, {@code bench-retry} with
 * {@code delays: 1s}, ...), and either only sending or also listening with {@link BenchListener}. Observed: with
 * Spring Boot's meter registry (a simple one) and the observation registry it configures to time every observation,
 * as an application with actuator has them; else without either.
 */
final class LibraryApplication {

    /** Spring Boot's meter registry and observation registry: excluded unless a scenario observes. */
    static final String WITHOUT_OBSERVABILITY = "spring.autoconfigure.exclude="
        + "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration,"
        + "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration,"
        + "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration,"
        + "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration";

    /** The journal's scenarios have a database; the others have none, so Spring Boot must not make a DataSource. */
    static final String NO_DATASOURCE = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";

    private static final List<String> PRODUCERS = List.of(
        "mqs.ons.producers.bench-burst.topic=bench_burst_lib",
        "mqs.ons.producers.bench-burst.tag=bench",
        "mqs.ons.producers.bench-send.topic=bench_send",
        "mqs.ons.producers.bench-send.tag=bench",
        "mqs.ons.producers.bench-consume-lib.topic=bench_consume_lib",
        "mqs.ons.producers.bench-consume-lib.tag=bench",
        "mqs.ons.producers.bench-consume-obs.topic=bench_consume_obs",
        "mqs.ons.producers.bench-consume-obs.tag=bench",
        "mqs.ons.producers.bench-consume-ctl.topic=bench_consume_ctl",
        "mqs.ons.producers.bench-consume-ctl.tag=bench",
        "mqs.ons.producers.bench-lateness.topic=bench_lateness_lib",
        "mqs.ons.producers.bench-lateness.tag=bench",
        "mqs.ons.producers.bench-retry.topic=bench_retry",
        "mqs.ons.producers.bench-retry.tag=bench",
        "mqs.ons.producers.bench-retry.delays=1s",
        "mqs.ons.producers.bench-midnight.topic=bench_midnight_lib",
        "mqs.ons.producers.bench-midnight.tag=bench",
        "mqs.ons.producers.bench-midnight-tuned.topic=bench_midnight_tuned",
        "mqs.ons.producers.bench-midnight-tuned.tag=bench",
        "mqs.ons.producers.bench-flash.topic=bench_flash_lib",
        "mqs.ons.producers.bench-flash.tag=bench",
        "mqs.ons.producers.bench-capacity.topic=bench_capacity_lib",
        "mqs.ons.producers.bench-capacity.tag=bench",
        "mqs.ons.producers.bench-capacity-hold.topic=bench_capacity_hold",
        "mqs.ons.producers.bench-capacity-hold.tag=bench",
        "mqs.ons.producers.bench-capacity-hold.delivery-lead=30s",
        "mqs.ons.producers.bench-first.topic=bench_first_lib",
        "mqs.ons.producers.bench-first.tag=bench",
        "mqs.ons.producers.bench-first.delays=" + FirstSecondChild.RETRY_DELAY);

    private LibraryApplication() {
    }

    /** An application that only sends. */
    static ConfigurableApplicationContext sending(EmbeddedRocketMQBroker broker, boolean observed) {
        return start(SenderApp.class, broker, observed, List.of());
    }

    /** An application whose {@link BenchListener} listens to {@code producer}'s messages as {@code group}. */
    static ConfigurableApplicationContext listening(EmbeddedRocketMQBroker broker, String producer, String group,
            boolean observed) {
        return listening(broker, producer, group, observed, List.of());
    }

    /** As {@link #listening(EmbeddedRocketMQBroker, String, String, boolean)}, with more properties. */
    static ConfigurableApplicationContext listening(EmbeddedRocketMQBroker broker, String producer, String group,
            boolean observed, List<String> properties) {
        return listening(broker.endpoints(), broker.timerPrecision(), producer, group, observed, properties);
    }

    /** As {@link #listening(EmbeddedRocketMQBroker, String, String, boolean, List)}, on any server's proxy. */
    static ConfigurableApplicationContext listening(String endpoints, Duration timerPrecision, String producer,
            String group, boolean observed, List<String> properties) {
        List<String> listener = new ArrayList<>(List.of("bench.producer=" + producer, "bench.group=" + group));
        listener.addAll(properties);
        return start(ListenerApp.class, endpoints, timerPrecision, observed, listener);
    }

    private static ConfigurableApplicationContext start(Class<?> app, EmbeddedRocketMQBroker broker, boolean observed,
            List<String> listener) {
        return start(app, broker.endpoints(), broker.timerPrecision(), observed, listener);
    }

    private static ConfigurableApplicationContext start(Class<?> app, String endpoints, Duration timerPrecision,
            boolean observed, List<String> listener) {
        List<String> properties = new ArrayList<>(List.of(
            "mqs.ons.endpoints=" + endpoints,
            "mqs.ons.timer-precision=" + timerPrecision.toMillis() + "ms"));
        properties.addAll(PRODUCERS);
        if (!observed) {
            properties.add(WITHOUT_OBSERVABILITY);
        }
        properties.addAll(listener);
        return new SpringApplicationBuilder(app)
            .web(WebApplicationType.NONE)
            .properties(properties.toArray(String[]::new))
            .run();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration(excludeName = NO_DATASOURCE)
    static class SenderApp {

    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration(excludeName = NO_DATASOURCE)
    @Import(BenchListener.class)
    static class ListenerApp {

    }

}
