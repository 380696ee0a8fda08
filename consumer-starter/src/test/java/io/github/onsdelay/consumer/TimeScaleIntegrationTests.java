package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.producer.SendResult;
import io.github.onsdelay.test.TestApplication;
import io.github.onsdelay.test.Tolerances;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The original's schedule, 1h, 3h, 1d and 3d, at a time scale of 36,000 ({@code @EmbeddedRocketMQ(timeScale)}): all
 * five attempts and the exhaustion within 30 s, each retry due its delay divided by the scale after the attempt
 * before failed, none early; handlers see the configured delays and the scale. A {@code deliverAt} 3 days ahead is
 * 7.2 s ahead, longer than the scaled hop horizon (1d, 2.4 s): it travels in hops, as it would for real.
 */
@SpringBootTest(classes = { TestApplication.class, TimeScaleIntegrationTests.Partner.class }, properties = {
    "mqs.ons.producers.partner-push.topic=consumer_time_scale",
    "mqs.ons.producers.partner-push.delays=1h, 3h, 1d, 3d"
})
@EmbeddedRocketMQ(topics = "consumer_time_scale", timeScale = TimeScaleIntegrationTests.SCALE)
class TimeScaleIntegrationTests {

    static final double SCALE = 36_000;

    static final List<Duration> SCHEDULE = List.of(Duration.ofHours(1), Duration.ofHours(3), Duration.ofDays(1),
        Duration.ofDays(3));

    @Autowired
    @Qualifier("partner-push")
    DelayProducer producer;

    @Autowired
    Partner partner;


    @Test
    void theOriginalsScheduleRunsAllFiveAttemptsAndTheExhaustionInSecondsSpacedAsItSays() {
        Instant sent = Instant.now();
        SendResult result = producer.send(DelayMessage.of("report-1").withKey("report-1"));
        assertThat(Duration.between(sent, result.dueAt())).isLessThan(Duration.ofMillis(50));

        await().atMost(Duration.ofSeconds(30)).until(() -> partner.exhausted.size() == 1);
        assertThat(Duration.between(sent, partner.exhausted.get(0))).isLessThan(Duration.ofSeconds(30));
        assertThat(partner.runs).extracting(Run::attempt).containsExactly(0, 1, 2, 3, 4);
        for (int n = 0; n < 5; n++) {
            Run run = partner.runs.get(n);
            assertThat(run.retryDelays()).as("the configured delays").isEqualTo(SCHEDULE);
            assertThat(run.timeScale()).isEqualTo(SCALE);
            assertThat(Duration.between(run.dueAt(), run.started())).as("attempt %d after its due time", n)
                .isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(Tolerances.HANDLER_LATENESS);
            if (n < 4) {
                Duration scaled = Duration.ofNanos((long) (SCHEDULE.get(n).toNanos() / SCALE));
                // Due times are whole milliseconds, counted from the failure (just after the start recorded here).
                Duration spacing = Duration.between(run.started(), partner.runs.get(n + 1).dueAt());
                assertThat(spacing).as("attempt %d due after attempt %d failed", n + 1, n)
                    .isBetween(scaled.minusMillis(1), scaled.plus(Duration.ofMillis(50)));
            }
        }
    }

    @Test
    void aDeliverAtThreeDaysAheadTravelsInHopsAsItWouldForReal() {
        Instant now = Instant.now();
        SendResult result = producer.send(DelayMessage.of("far-1").withKey("far-1")
            .withDeliverAt(now.plus(Duration.ofDays(3))));
        // 3 days at 1:36,000 are 7.2 s; the hop horizon, the server's 1 day, is 2.4 s: as for real, a hop.
        assertThat(result.isHop()).isTrue();
        assertThat(Duration.between(now, result.dueAt())).isBetween(Duration.ofMillis(7_150), Duration.ofMillis(7_250));
        assertThat(Duration.between(now, result.deliverAt())).isBetween(Duration.ofMillis(2_350),
            Duration.ofMillis(2_450));
        await().atMost(Duration.ofSeconds(20)).until(() -> partner.far.size() == 1);
        assertThat(partner.far.get(0)).isAfterOrEqualTo(result.dueAt());
    }

    record Run(int attempt, Instant dueAt, Instant started, List<Duration> retryDelays, double timeScale) {
    }

    static class Partner {

        final List<Run> runs = new CopyOnWriteArrayList<>();

        final List<Instant> exhausted = new CopyOnWriteArrayList<>();

        final List<Instant> far = new CopyOnWriteArrayList<>();

        @OnsListener(producer = "partner-push", group = "time-scale-partner")
        boolean push(String report, DeliveryContext context) {
            if (report.equals("far-1")) {
                far.add(Instant.now());
                return true;
            }
            runs.add(new Run(context.attempt(), context.dueAt(), Instant.now(), context.retryDelays(),
                context.timeScale()));
            return false;
        }

        @OnsExhausted
        void exhausted(Exhaustion exhaustion) {
            exhausted.add(Instant.now());
        }

    }

}
