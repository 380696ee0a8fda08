package io.github.onsdelay.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.onsdelay.benchmarks.peers.Stats;
import io.github.onsdelay.consumer.observation.DefaultOnsListenerObservationConvention;
import io.github.onsdelay.consumer.observation.OnsListenerContext;
import io.github.onsdelay.consumer.observation.OnsListenerObservation;
import io.github.onsdelay.core.OnsMessageProperties;
import io.github.onsdelay.core.TimedMessage;
import io.github.onsdelay.core.observation.DefaultOnsSendObservationConvention;
import io.github.onsdelay.core.observation.OnsSendContext;
import io.github.onsdelay.core.observation.OnsSendObservation;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * What meters and observations add to each message, measured alone, without a server: one send observation, one
 * handler observation and one lateness record, as Spring Boot's default handler makes them (a timer and a long task
 * timer per observation), on one thread, 5 rounds of which the first two warm up. End to end, these few
 * microseconds are below the noise of {@link ObservabilityBenchmark}'s rows.
 */
final class ObservationCostBenchmark implements Scenario {

    private static final int ROUNDS = 5;

    private static final int WARM_UP_ROUNDS = 2;

    @Override
    public String name() {
        return "observation-cost";
    }

    @Override
    public void run(Workload workload, EmbeddedServers servers, Report report) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        Timer lateness = Timer.builder("lateness")
            .publishPercentileHistogram().serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(50))
            .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1)).register(meters);
        TimedMessage message = new TimedMessage("bench-send", "bench_send", "bench", "key", new byte[16], 0,
            Instant.now(), Instant.now(), null);
        DefaultOnsSendObservationConvention sendConvention = new DefaultOnsSendObservationConvention();
        DefaultOnsListenerObservationConvention handlerConvention = new DefaultOnsListenerObservationConvention();
        Map<String, String> properties = Map.of(OnsMessageProperties.ATTEMPT, "0", OnsMessageProperties.PRODUCER,
            "bench-send");
        int operations = workload.costOperations();
        List<Double> send = new ArrayList<>();
        List<Double> handler = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            long began = System.nanoTime();
            for (int i = 0; i < operations; i++) {
                OnsSendContext context = new OnsSendContext(message, false);
                Observation observation = OnsSendObservation.SEND.observation(null, sendConvention, () -> context,
                    registry).start();
                try (Observation.Scope scope = observation.openScope()) {
                    context.setMessageId("id");
                }
                observation.stop();
            }
            send.add((System.nanoTime() - began) / (double) operations);
            began = System.nanoTime();
            for (int i = 0; i < operations; i++) {
                OnsListenerContext context = new OnsListenerContext(properties, "group", "bench-send", 0, "key", "id");
                Observation observation = OnsListenerObservation.HANDLER.observation(null, handlerConvention,
                    () -> context, registry).start();
                try (Observation.Scope scope = observation.openScope()) {
                    context.setOutcome("success");
                }
                observation.stop();
                lateness.record(Duration.ofMillis(i & 7));
            }
            handler.add((System.nanoTime() - began) / (double) operations);
        }
        double sendNanos = Stats.median(send.subList(WARM_UP_ROUNDS, ROUNDS));
        double handlerNanos = Stats.median(handler.subList(WARM_UP_ROUNDS, ROUNDS));
        report.row(Report.Table.OVERHEAD, String.format(Locale.ROOT, "| Cost per message, measured alone: send "
            + "observation %.1f µs, handler observation and lateness record %.1f µs |  |  |  |  |", sendNanos / 1000,
            handlerNanos / 1000));
    }

}
