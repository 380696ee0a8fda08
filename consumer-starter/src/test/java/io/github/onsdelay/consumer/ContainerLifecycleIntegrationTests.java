package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.onsdelay.consumer.autoconfigure.OnsSimpleConsumerBuilderCustomizer;
import io.github.onsdelay.core.OnsMessageProperties;
import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.test.TestApplication;
import io.github.onsdelay.test.Tolerances;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Applications started and stopped around the shared server: what a stop does, and the consumer options. */
@EmbeddedRocketMQ(topics = {"consumer_lifecycle", "consumer_dlq"})
@ExtendWith(OutputCaptureExtension.class)
class ContainerLifecycleIntegrationTests {

    private static ConfigurableApplicationContext application(EmbeddedRocketMQBroker broker, Class<?> beans,
            String... properties) {
        return new SpringApplicationBuilder(TestApplication.class, beans).web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .properties("mqs.ons.endpoints=" + broker.endpoints(), "mqs.ons.timer-precision=100ms",
                "mqs.ons.producers.jobs.topic=consumer_lifecycle")
            .properties(properties)
            .run();
    }

    @Test
    void stoppingWaitsForAHandlerInProgressAndDoesNotInterruptIt(EmbeddedRocketMQBroker broker) throws Exception {
        ConfigurableApplicationContext context = application(broker, Blocking.class, "mqs.ons.producers.jobs.tag=wait",
            "mqs.ons.consumer.shutdown-timeout=20s");
        Blocking handler = context.getBean(Blocking.class);
        context.getBean("jobs", DelayProducer.class).send("job-1");
        assertThat(handler.started.await(20, TimeUnit.SECONDS)).isTrue();

        Thread closer = new Thread(context::close, "closer");
        closer.start();

        // The stop waits for the handler it let in, longer than anything else in a stop takes (the receives in
        // flight come back within the server's 3 s long poll), and the handler is not interrupted.
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(closer::isAlive);
        assertThat(handler.finished).isFalse();
        handler.release.countDown();
        closer.join(30_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(handler.finished).isTrue();
        assertThat(handler.interrupted).isFalse();
    }

    @Test
    void aHandlerOutlastingTheShutdownTimeoutDoesNotHoldTheStop(EmbeddedRocketMQBroker broker, CapturedOutput output)
            throws Exception {
        ConfigurableApplicationContext context = application(broker, Blocking.class, "mqs.ons.producers.jobs.tag=outlast",
            "mqs.ons.consumer.shutdown-timeout=1s");
        Blocking handler = context.getBean(Blocking.class);
        context.getBean("jobs", DelayProducer.class).send("job-2");
        assertThat(handler.started.await(20, TimeUnit.SECONDS)).isTrue();

        long began = System.nanoTime();
        context.close();

        // 1 s of shutdown timeout; the rest is the receives in flight returning (the server holds them 3 s).
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(8));
        assertThat(output.getAll()).contains("still has 1 handler run(s) in progress at the end of the shutdown "
            + "timeout; the broker delivers those messages again once their invisibility ends");
        handler.release.countDown();
    }

    @Test
    void messagesHeldAtAStopAreHandedOverAtOnceForAnotherInstance(EmbeddedRocketMQBroker broker) {
        String[] properties = {"mqs.ons.producers.jobs.tag=handover", "mqs.ons.producers.jobs.delivery-lead=20s"};
        ConfigurableApplicationContext first = application(broker, Recording.class, properties);
        // Far enough ahead for a handover: a message given back is redelivered after the broker's revive delay
        // (2-3 s) at the next receive (up to the 3 s long poll); one that is not comes back only after its
        // 10 s invisibility, and would be late.
        Instant due = Instant.now().plusSeconds(15);
        DelayProducer producer = first.getBean("jobs", DelayProducer.class);
        for (int i = 0; i < 10; i++) {
            // Released at once and held by the first instance until due.
            producer.send(DelayMessage.of("h-" + i).withKey("h-" + i).withDeliverAt(due));
        }
        OnsListenerContainer container = first.getBean(OnsListenerRegistry.class).getListenerContainer("recording-group");
        await().atMost(Duration.ofSeconds(10)).until(() -> container.getFigures().held() == 10);
        Recording firstRecording = first.getBean(Recording.class);

        try (ConfigurableApplicationContext second = application(broker, Recording.class, properties)) {
            Instant stopped = Instant.now();
            first.close();

            // Handed over at once, not left for their 10 s invisibility: the second instance has them by their due time.
            OnsListenerContainer other = second.getBean(OnsListenerRegistry.class).getListenerContainer("recording-group");
            await().atMost(Duration.ofSeconds(20)).until(() -> other.getFigures().received() >= 10);
            System.out.printf("Handover at a stop: the other instance had all 10 held messages %d ms after the stop began%n",
                Duration.between(stopped, Instant.now()).toMillis());
            Recording recording = second.getBean(Recording.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> recording.handled.size() == 10);
            Instant last = recording.handled.values().stream().max(Instant::compareTo).orElseThrow();
            assertThat(Duration.between(due, last)).isLessThan(Tolerances.HANDLER_LATENESS);
            assertThat(firstRecording.handled).isEmpty();
            // Handed over (sent on as new messages), not given back; a receive of the first still in flight at the
            // stop may bring some again, and hands those over too.
            assertThat(container.getFigures().handedOver()).isGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void exhaustedMessagesAreForwardedToTheDeadLetterTopicWhereAListenerOfAnotherGroupReceivesEachOnce(
            EmbeddedRocketMQBroker broker) throws Exception {
        try (ConfigurableApplicationContext context = application(broker, Failing.class,
                "mqs.ons.producers.jobs.tag=fail", "mqs.ons.producers.jobs.delays=1s",
                "mqs.ons.producers.dead-letters.topic=consumer_dlq", "mqs.ons.consumer.dead-letter-topic=consumer_dlq")) {
            Failing failing = context.getBean(Failing.class);
            context.getBean("jobs", DelayProducer.class).send(DelayMessage.of("lost-1").withKey("lost-1"));

            await().atMost(Duration.ofSeconds(20)).until(() -> failing.deadLetters.size() == 1);
            DeliveryContext dead = failing.deadLetters.get(0);
            assertThat(dead.businessKey()).isEqualTo("lost-1");
            assertThat(dead.attempt()).as("a new message for the dead-letter listener").isZero();
            assertThat(dead.property(OnsMessageProperties.DEAD_LETTER_GROUP)).isEqualTo("failing-group");
            assertThat(dead.property(OnsMessageProperties.DEAD_LETTER_REASON)).isEqualTo("RETRIES_EXHAUSTED");
            assertThat(dead.property(OnsMessageProperties.DEAD_LETTER_ATTEMPT)).isEqualTo("1");
            assertThat(dead.property(OnsMessageProperties.DEAD_LETTER_TOPIC)).isEqualTo("consumer_lifecycle");
            assertThat(dead.property(OnsMessageProperties.DEAD_LETTER_ERROR)).contains("returned false");
            assertThat(dead.property(OnsMessageProperties.TARGET_GROUP)).isNull();
            await().atMost(Duration.ofSeconds(5)).until(() -> failing.exhausted.size() == 1);
            // Once: no second copy, and the dead-letter listener's own success ends it.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> failing.deadLetters.size() == 1);
            assertThat(context.getBean(OnsListenerRegistry.class).getListenerContainer("dlq-group").getFigures()
                .otherGroups()).isZero();
        }
    }

    @Test
    void aCustomizerShapesEveryConsumer(EmbeddedRocketMQBroker broker) {
        try (ConfigurableApplicationContext context = application(broker, Customized.class,
                "mqs.ons.producers.jobs.tag=customized")) {
            assertThat(context.getBean(Customized.class).customized).hasValue(1);
        }
    }

    static class Blocking {

        final CountDownLatch started = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        volatile boolean finished;

        volatile boolean interrupted;

        @OnsListener(producer = "jobs", group = "blocking-group")
        void handle(String job) {
            started.countDown();
            try {
                finished = release.await(20, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                interrupted = true;
                Thread.currentThread().interrupt();
            }
        }

    }

    static class Recording {

        final Map<String, Instant> handled = new ConcurrentHashMap<>();

        @OnsListener(producer = "jobs", group = "recording-group")
        void handle(String job) {
            handled.putIfAbsent(job, Instant.now());
        }

    }

    static class Failing {

        final List<Exhaustion> exhausted = new CopyOnWriteArrayList<>();

        final List<DeliveryContext> deadLetters = new CopyOnWriteArrayList<>();

        @OnsListener(producer = "jobs", group = "failing-group")
        boolean handle(String job) {
            return false;
        }

        @OnsExhausted(groups = "failing-group")
        void giveUp(Exhaustion exhaustion) {
            exhausted.add(exhaustion);
        }

        @OnsListener(producer = "dead-letters", group = "dlq-group")
        void read(String job, DeliveryContext context) {
            deadLetters.add(context);
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class Customized {

        final AtomicInteger customized = new AtomicInteger();

        @OnsListener(producer = "jobs", group = "customized-group")
        void handle(String job) {
        }

        @Bean
        OnsSimpleConsumerBuilderCustomizer countingCustomizer() {
            return builder -> customized.incrementAndGet();
        }

    }

}
