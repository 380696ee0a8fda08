package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One of two instances of a group restarted gracefully while messages fall due: what the stopping instance held
 * is handed over (sent on as new messages due at their own time), so the other has it at once, not after the
 * broker's revive delay. A rolling restart makes no message more than a second late.
 */
@EmbeddedRocketMQ(topics = "consumer_rolling")
class RollingRestartIntegrationTests {

    static final int MESSAGES = 200;

    /** The promise: a rolling restart makes no message more than this late. */
    static final Duration ROLLING_RESTART_LATENESS = Duration.ofSeconds(1);

    private static ConfigurableApplicationContext instance(EmbeddedRocketMQBroker broker) {
        return new SpringApplicationBuilder(TestApplication.class, Recording.class).web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .properties("mqs.ons.endpoints=" + broker.endpoints(), "mqs.ons.timer-precision=100ms",
                "mqs.ons.producers.rolling.topic=consumer_rolling")
            .run();
    }

    @Test
    void messagesHeldByAnInstanceThatStopsAreHandledOnTimeByTheOther(EmbeddedRocketMQBroker broker) {
        ConfigurableApplicationContext first = instance(broker);
        try (ConfigurableApplicationContext second = instance(broker)) {
            DelayProducer producer = first.getBean("rolling", DelayProducer.class);
            Instant start = Instant.now().plusSeconds(2);
            for (int i = 0; i < MESSAGES; i++) {
                // One every 50 ms over 10 s; the stop comes when a quarter have fallen due.
                producer.sendAsync(DelayMessage.of("r-" + i).withKey("r-" + i).withDeliverAt(start.plusMillis(50L * i)));
            }
            Recording stopped = first.getBean(Recording.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> stopped.runs.size() + second.getBean(Recording.class)
                .runs.size() >= MESSAGES / 4);
            OnsListenerContainer leaving = first.getBean(OnsListenerRegistry.class).getListenerContainer("rolling-group");
            int held = leaving.getFigures().held();
            Instant stoppedAt = Instant.now();
            first.close();
            Duration stopTook = Duration.between(stoppedAt, Instant.now());

            Recording staying = second.getBean(Recording.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> keys(stopped, staying).size() >= MESSAGES);
            List<Run> all = new ArrayList<>(stopped.runs);
            all.addAll(staying.runs);
            long latest = all.stream().mapToLong(run -> Duration.between(run.dueAt(), run.started()).toMillis()).max()
                .orElseThrow();
            List<Long> afterTheStop = staying.runs.stream().filter(run -> run.started().isAfter(stoppedAt))
                .map(run -> Duration.between(run.dueAt(), run.started()).toMillis()).sorted().toList();
            System.out.printf("Rolling restart: the stopping instance held %d and handed over %d (stop took %d ms); "
                + "after the stop the other handled %d, latest %d ms late; %d runs in all for %d messages%n", held,
                leaving.getFigures().handedOver(), stopTook.toMillis(), afterTheStop.size(),
                afterTheStop.isEmpty() ? -1 : afterTheStop.get(afterTheStop.size() - 1), all.size(), MESSAGES);
            assertThat(all).allSatisfy(run -> assertThat(run.started()).isAfterOrEqualTo(run.dueAt()));
            assertThat(latest).as("latest handler start after due (ms)").isLessThan(ROLLING_RESTART_LATENESS.toMillis());
            assertThat(leaving.getFigures().handedOver()).isPositive();
            assertThat(keys(stopped, staying)).hasSize(MESSAGES);
        }
    }

    private static Map<String, Integer> keys(Recording... recordings) {
        Map<String, Integer> keys = new ConcurrentHashMap<>();
        for (Recording recording : recordings) {
            recording.runs.forEach(run -> keys.merge(run.key(), 1, Integer::sum));
        }
        return keys;
    }

    record Run(String key, Instant dueAt, Instant started) {
    }

    static class Recording {

        final List<Run> runs = new CopyOnWriteArrayList<>();

        @OnsListener(producer = "rolling", group = "rolling-group")
        void handle(String key, DeliveryContext context) {
            runs.add(new Run(key, context.dueAt(), Instant.now()));
        }

    }

}
