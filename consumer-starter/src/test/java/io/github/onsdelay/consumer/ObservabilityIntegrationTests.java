package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.onsdelay.core.OnsMessageProperties;
import io.github.onsdelay.core.SendFigures;
import io.github.onsdelay.core.TimedMessageSender;
import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.producer.SendResult;
import io.github.onsdelay.test.TestApplication;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Meters, observations and traces of one listener's messages on the real server, with Spring Boot's own
 * Micrometer wiring (actuator's meter registry, the observation registry it configures with meter and tracing
 * handlers) and Micrometer's test kits in it: a test observation registry and the simple tracer.
 */
@SpringBootTest(classes = {TestApplication.class, ObservabilityIntegrationTests.Beans.class}, properties = {
    "mqs.ons.producers.observed.topic=consumer_observed",
    "mqs.ons.producers.observed.tag=observed",
    "mqs.ons.producers.observed.delays=200ms, 200ms",
    "mqs.ons.producers.traced.topic=consumer_observed",
    "mqs.ons.producers.traced.tag=traced",
    "mqs.ons.producers.traced.delays=200ms, 200ms",
    "mqs.ons.producers.observed-slow.topic=consumer_observed",
    "mqs.ons.producers.observed-slow.tag=slow",
    "mqs.ons.producers.observed-far.topic=consumer_observed",
    "mqs.ons.producers.observed-far.tag=far",
    "mqs.ons.producers.observed-far.initial-delay=16s"
})
@EmbeddedRocketMQ(topics = "consumer_observed", maxDelay = "3s")
class ObservabilityIntegrationTests {

    @Autowired
    MeterRegistry meters;

    @Autowired
    TestObservationRegistry observations;

    @Autowired
    SimpleTracer tracer;

    @Autowired
    Handlers handlers;

    @Autowired
    OnsListenerRegistry listeners;

    @Autowired
    TimedMessageSender sender;

    @Autowired
    Producer rocketmq;

    @Autowired
    @Qualifier("observed")
    DelayProducer observed;

    @Autowired
    @Qualifier("traced")
    DelayProducer traced;

    @Autowired
    @Qualifier("observed-slow")
    DelayProducer slow;

    @Autowired
    @Qualifier("observed-far")
    DelayProducer far;

    @Test
    void everyFigureMovesThroughSendSuccessRetryHopExhaustionAndPoison() throws Exception {
        observed.send(DelayMessage.of(new Task("ok")).withKey("ok"));
        observed.send(DelayMessage.of(new Task("twice")).withKey("twice"));
        observed.send(DelayMessage.of(new Task("never")).withKey("never"));
        sendUnreadable("poison");
        SendResult hop = far.send(DelayMessage.of("far").withKey("far"));
        assertThat(hop.isHop()).isTrue();

        // The far message arrives 3 s after it was sent (the server's longest delay), 13 s before it is due:
        // further ahead than a listener holds (its lead plus 10 s), so the listener sends it on.
        await().atMost(Duration.ofSeconds(40)).until(() -> handlers.exhausted.containsAll(List.of("never", "poison"))
            && handlers.succeeded.containsAll(List.of("ok", "twice", "far")));

        Map<String, String> group = Map.of("messaging.consumer.group.name", "observed-group");
        // Listener counters and the lateness distribution: 8 deliveries (ok once, twice and never 3 times each,
        // the poison once), every one of them started, none before its due time.
        await().atMost(Duration.ofSeconds(5)).until(() -> count("ons.delay.deliveries", group) == 8);
        assertThat(count("ons.delay.retries", group)).isEqualTo(4);
        assertThat(count("ons.delay.exhausted", tags(group, "ons.delay.reason", "RETRIES_EXHAUSTED"))).isEqualTo(1);
        assertThat(count("ons.delay.exhausted", tags(group, "ons.delay.reason", "POISON"))).isEqualTo(1);
        assertThat(count("ons.delay.poison", group)).isEqualTo(1);
        assertThat(count("ons.delay.hops", group)).isZero();
        assertThat(count("ons.delay.hops", Map.of("messaging.consumer.group.name", "far-group"))).isEqualTo(1);
        // Calls to the broker: every one of the 8 deliveries acknowledged once (a failed run once its next attempt
        // was sent), none given back; the receives that brought them, at least one; invisibility changes only as
        // renewals (none given back).
        assertThat(count("ons.delay.broker.calls", tags(group, "call", "ack"))).isEqualTo(8);
        assertThat(count("ons.delay.broker.calls", tags(group, "call", "receive"))).isPositive();
        assertThat(count("ons.delay.broker.calls", tags(group, "call", "change-invisible-duration")))
            .isEqualTo(count("ons.delay.lease.renewals", group) + count("ons.delay.lease.renewal.failures", group)
                + count("ons.delay.given.back", group));
        // Retries are sent 600 ms before their due time (timer precision 100 ms plus the margin) and held.
        OnsListenerContainer container = listeners.getListenerContainer("observed-group");
        assertThat(count("ons.delay.early", group)).isPositive().isEqualTo(container.getFigures().heldEarly());
        Timer lateness = meters.get("ons.delay.lateness").tags("messaging.consumer.group.name", "observed-group").timer();
        assertThat(lateness.count()).isEqualTo(8);
        CountAtBucket[] buckets = lateness.takeSnapshot().histogramCounts();
        assertThat(Arrays.stream(buckets).map(bucket -> (long) bucket.bucket(TimeUnit.MILLISECONDS)))
            .contains(1L, 5L, 10L, 50L, 100L, 500L, 1000L, 5000L);
        assertThat(buckets[buckets.length - 1].count()).as("every start counted under the top SLO").isEqualTo(8);
        assertThat(container.getFigures().lateness().total()).isEqualTo(8);

        // Handler runs timed by their observation, by outcome.
        assertThat(timerCount("ons.delay.handler", tags(group, "ons.delay.outcome", "success"))).isEqualTo(2);
        assertThat(timerCount("ons.delay.handler", tags(group, "ons.delay.outcome", "retry"))).isEqualTo(4);
        assertThat(timerCount("ons.delay.handler", tags(group, "ons.delay.outcome", "exhausted"))).isEqualTo(1);
        assertThat(timerCount("ons.delay.handler", tags(group, "ons.delay.outcome", "poison"))).isEqualTo(1);
        assertThat(timerCount("ons.delay.hop", Map.of("messaging.consumer.group.name", "far-group"))).isEqualTo(1);
        // Sends timed by theirs: three first attempts from the application, four retries from the listener.
        Map<String, String> sends = Map.of("ons.delay.producer", "observed", "ons.delay.outcome", "success");
        assertThat(timerCount("ons.delay.send", tags(sends, "ons.delay.attempt", "0"))).isEqualTo(3);
        assertThat(timerCount("ons.delay.send", tags(sends, "ons.delay.attempt", "1"))).isEqualTo(2);
        assertThat(timerCount("ons.delay.send", tags(sends, "ons.delay.attempt", "2"))).isEqualTo(2);
        // Both legs of the far message's trip to the listener that sent it on were hops.
        assertThat(timerCount("ons.delay.send", Map.of("ons.delay.producer", "observed-far", "ons.delay.hop", "true")))
            .isEqualTo(2);
        assertThat(sender.figures().get("observed")).isEqualTo(new SendFigures(3, 0, 0));
        assertThat(sender.figures().get("observed-far")).isEqualTo(new SendFigures(1, 1, 0));

        TestObservationRegistryAssert.assertThat(observations)
            .hasAnObservation(observation -> observation.hasNameEqualTo("ons.delay.handler")
                .hasLowCardinalityKeyValue("ons.delay.outcome", "exhausted")
                .hasLowCardinalityKeyValue("ons.delay.attempt", "2")
                .hasHighCardinalityKeyValue("ons.delay.business.key", "never")
                .hasError())
            .hasAnObservation(observation -> observation.hasNameEqualTo("ons.delay.handler")
                .hasLowCardinalityKeyValue("ons.delay.outcome", "poison")
                .hasHighCardinalityKeyValue("ons.delay.business.key", "poison"))
            .hasAnObservation(observation -> observation.hasNameEqualTo("ons.delay.send")
                .hasLowCardinalityKeyValue("messaging.destination.name", "consumer_observed")
                .hasLowCardinalityKeyValue("ons.delay.attempt", "2")
                .hasHighCardinalityKeyValue("ons.delay.business.key", "twice"));
    }

    @Test
    void aTraceIdSurvivesTwoRetries() {
        traced.send(DelayMessage.of(new Task("twice")).withKey("traced"));
        await().atMost(Duration.ofSeconds(30)).until(() -> handlers.succeeded.contains("traced"));
        await().atMost(Duration.ofSeconds(5)).until(() -> spans("traced", "traced-group handle").size() == 3);

        List<SimpleSpan> sendSpans = spans("traced", "consumer_observed send");
        List<SimpleSpan> handlerSpans = spans("traced", "traced-group handle");
        assertThat(sendSpans).extracting(span -> span.getTags().get("ons.delay.attempt"))
            .containsExactly("0", "1", "2");
        String traceId = sendSpans.get(0).getTraceId();
        assertThat(handlerSpans).extracting(SimpleSpan::getTraceId).containsOnly(traceId);
        assertThat(sendSpans).extracting(SimpleSpan::getTraceId).containsOnly(traceId);
        // The chain: send 0 -> handler 0 -> retry send 1 -> handler 1 -> retry send 2 -> handler 2.
        for (int attempt = 0; attempt < 3; attempt++) {
            SimpleSpan handler = handlerSpans.get(attempt);
            assertThat(handler.getTags()).containsEntry("ons.delay.attempt", Integer.toString(attempt));
            assertThat(handler.getParentId()).isEqualTo(sendSpans.get(attempt).getSpanId());
            if (attempt > 0) {
                assertThat(sendSpans.get(attempt).getParentId()).isEqualTo(handlerSpans.get(attempt - 1).getSpanId());
            }
        }
        assertThat(handlerSpans.get(0).getTags()).containsEntry("ons.delay.outcome", "retry");
        assertThat(handlerSpans.get(2).getTags()).containsEntry("ons.delay.outcome", "success");
    }

    @Test
    void heldAndInFlightGaugesFollowTheContainer() {
        Map<String, String> group = Map.of("messaging.consumer.group.name", "slow-group");
        for (int i = 0; i < 3; i++) {
            slow.send(DelayMessage.of("slow-" + i).withKey("slow-" + i));
        }
        // One handler at once, blocked: one in flight, two held waiting for it.
        await().atMost(Duration.ofSeconds(20)).until(() -> gauge("ons.delay.in.flight", group) == 1
            && gauge("ons.delay.held", group) == 2);
        handlers.release.countDown();
        await().atMost(Duration.ofSeconds(20)).until(() -> handlers.slow.size() == 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge("ons.delay.in.flight", group) == 0
            && gauge("ons.delay.held", group) == 0);
    }

    private List<SimpleSpan> spans(String businessKey, String name) {
        return tracer.getSpans().stream()
            .filter(span -> name.equals(span.getName()))
            .filter(span -> businessKey.equals(span.getTags().get("ons.delay.business.key")))
            .sorted(Comparator.comparing(span -> Integer.parseInt(span.getTags().get("ons.delay.attempt"))))
            .toList();
    }

    private void sendUnreadable(String key) throws Exception {
        ClientServiceProvider provider = ClientServiceProvider.loadService();
        rocketmq.send(provider.newMessageBuilder().setTopic("consumer_observed").setTag("observed").setKeys(key)
            .setBody("{\"name\": ".getBytes(StandardCharsets.UTF_8)).setDeliveryTimestamp(System.currentTimeMillis())
            .addProperty(OnsMessageProperties.BUSINESS_KEY, key).build());
    }

    private static Map<String, String> tags(Map<String, String> tags, String key, String value) {
        Map<String, String> all = new java.util.HashMap<>(tags);
        all.put(key, value);
        return all;
    }

    private double count(String name, Map<String, String> tags) {
        return meters.get(name).tags(flatten(tags)).functionCounter().count();
    }

    private long timerCount(String name, Map<String, String> tags) {
        return meters.find(name).tags(flatten(tags)).timers().stream().mapToLong(Timer::count).sum();
    }

    private double gauge(String name, Map<String, String> tags) {
        return meters.get(name).tags(flatten(tags)).gauge().value();
    }

    private static String[] flatten(Map<String, String> tags) {
        return tags.entrySet().stream().flatMap(tag -> java.util.stream.Stream.of(tag.getKey(), tag.getValue()))
            .toArray(String[]::new);
    }

    record Task(String name) {
    }

    @Configuration(proxyBeanMethods = false)
    static class Beans {

        @Bean
        TestObservationRegistry observationRegistry() {
            return TestObservationRegistry.create();
        }

        @Bean
        SimpleTracer tracer() {
            return new SimpleTracer();
        }

        @Bean
        Propagator propagator(SimpleTracer tracer) {
            return new TraceparentPropagator(tracer);
        }

        @Bean
        Handlers handlers() {
            return new Handlers();
        }

    }

    static class Handlers {

        final Set<String> succeeded = ConcurrentHashMap.newKeySet();

        final Set<String> exhausted = ConcurrentHashMap.newKeySet();

        final Set<String> slow = ConcurrentHashMap.newKeySet();

        final CountDownLatch release = new CountDownLatch(1);

        @OnsListener(producer = "observed", group = "observed-group")
        boolean handle(Task task, DeliveryContext context) {
            boolean success = switch (task.name()) {
                case "ok" -> true;
                case "twice" -> context.attempt() == 2;
                default -> false;
            };
            if (success) {
                succeeded.add(context.businessKey());
            }
            return success;
        }

        @OnsListener(producer = "traced", group = "traced-group")
        boolean traced(Task task, DeliveryContext context) {
            boolean success = context.attempt() == 2;
            if (success) {
                succeeded.add(context.businessKey());
            }
            return success;
        }

        @OnsListener(producer = "observed-far", group = "far-group")
        void far(String payload, DeliveryContext context) {
            succeeded.add(context.businessKey());
        }

        @OnsListener(producer = "observed-slow", group = "slow-group", concurrency = "1")
        void slow(String payload, DeliveryContext context) throws InterruptedException {
            release.await(30, TimeUnit.SECONDS);
            slow.add(context.businessKey());
        }

        @OnsExhausted
        void exhausted(Exhaustion exhaustion) {
            exhausted.add(exhaustion.context().businessKey());
        }

    }

}
