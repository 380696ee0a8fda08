package io.github.onsdelay.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.github.onsdelay.benchmarks.peers.Throughput;
import io.github.onsdelay.benchmarks.peers.Turns;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.embedded.TopicMessageType;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.test.TestCertificates;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What verified TLS ({@code mqs.ons.ssl.bundle}) costs against the client's own TLS, which verifies nothing: one
 * proxy that accepts TLS only, with a certificate of a CA made for the run; sends, sync from one thread and async
 * with at most 512 in flight, the two applications taking turns; and a new application's start (in which its
 * producer connects, shakes hands and fetches its topic's route) and first send, a new application per round.
 */
final class TlsBenchmark implements Scenario {

    private static final int IN_FLIGHT = 512;

    @Override
    public String name() {
        return "tls";
    }

    @Override
    public void run(Workload workload, EmbeddedServers servers, Report report) throws Exception {
        Path directory = Files.createTempDirectory("ons-delay-bench-tls-");
        TestCertificates certificates = TestCertificates.issue(directory, "bench");
        try (EmbeddedRocketMQBroker broker = EmbeddedRocketMQBroker.builder()
                .tlsCertificate(certificates.serverCertificate(), certificates.serverKey())
                .timerPrecision(Duration.ofMillis(100)).timerFlushInterval(Duration.ofMinutes(1))
                .topic("bench_tls", TopicMessageType.DELAY).build().start()) {
            List<String> verified = List.of("mqs.ons.ssl.bundle=bench",
                "spring.ssl.bundle.pem.bench.truststore.certificate=file:" + certificates.caCertificate());
            List<String> unverified = List.of("mqs.ons.ssl-enabled=true");
            try (ConfigurableApplicationContext on = sender(broker, verified);
                    ConfigurableApplicationContext off = sender(broker, unverified)) {
                DelayProducer onProducer = on.getBean("bench-tls", DelayProducer.class);
                DelayProducer offProducer = off.getBean("bench-tls", DelayProducer.class);
                AtomicLong ids = new AtomicLong();
                List<List<Double>> sync = Turns.take(1, workload.rounds(), List.of(
                    () -> Throughput.measure(syncSend(onProducer, ids), 1, workload.window()).rate(),
                    () -> Throughput.measure(syncSend(offProducer, ids), 1, workload.window()).rate()));
                report.tls("Sync send, 1 KB JSON, 1 thread (msgs/s)", sync.get(0), sync.get(1));
                List<List<Double>> async = Turns.take(1, workload.rounds(), List.of(
                    () -> Throughput.measureAsync(asyncSend(onProducer, ids), IN_FLIGHT, workload.window()),
                    () -> Throughput.measureAsync(asyncSend(offProducer, ids), IN_FLIGHT, workload.window())));
                report.tls("Async send, 1 KB JSON, at most 512 in flight (msgs/s)", async.get(0), async.get(1));
            }
            List<List<Double>> first = Turns.take(1, workload.rounds(), List.of(
                () -> firstSend(broker, verified), () -> firstSend(broker, unverified)));
            report.tls("A new application: its start (the producer connects, shakes hands and fetches its route) and "
                + "first send (ms)", first.get(0), first.get(1));
        }
    }

    private static Throughput.Operation syncSend(DelayProducer producer, AtomicLong ids) {
        return () -> {
            String id = "t" + ids.incrementAndGet();
            producer.send(DelayMessage.of(Payload.of(id)).withKey(id));
        };
    }

    private static Throughput.AsyncOperation asyncSend(DelayProducer producer, AtomicLong ids) {
        return done -> {
            String id = "t" + ids.incrementAndGet();
            producer.sendAsync(DelayMessage.of(Payload.of(id)).withKey(id))
                .whenComplete((result, ex) -> done.accept(ex == null ? 1 : 0));
        };
    }

    private static double firstSend(EmbeddedRocketMQBroker broker, List<String> tls) {
        long began = System.nanoTime();
        try (ConfigurableApplicationContext application = sender(broker, tls)) {
            application.getBean("bench-tls", DelayProducer.class)
                .send(DelayMessage.of(Payload.of("first")).withKey("first"));
            return (System.nanoTime() - began) / 1e6;
        }
    }

    private static ConfigurableApplicationContext sender(EmbeddedRocketMQBroker broker, List<String> tls) {
        List<String> properties = new ArrayList<>(List.of("mqs.ons.endpoints=" + broker.endpoints(),
            "mqs.ons.timer-precision=100ms", "mqs.ons.producers.bench-tls.topic=bench_tls",
            "mqs.ons.producers.bench-tls.tag=bench", LibraryApplication.WITHOUT_OBSERVABILITY));
        properties.addAll(tls);
        return new SpringApplicationBuilder(LibraryApplication.SenderApp.class).web(WebApplicationType.NONE)
            .properties(properties.toArray(String[]::new)).run();
    }

}
