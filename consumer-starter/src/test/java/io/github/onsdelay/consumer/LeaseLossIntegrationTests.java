package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.test.FaultProxy;
import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An instance whose renewals fail (cut off by a partition) while its slow handler runs loses the message's lease:
 * the broker delivers it to the group's other instance, which runs it too. When the first run ends after the
 * network is back, its outcome is not applied: one retry is sent for the attempt, by the instance that has the
 * message now, and the next attempt runs once.
 */
@EmbeddedRocketMQ(topics = "consumer_lease")
class LeaseLossIntegrationTests {


    @Test
    void aRunWhoseLeaseWasLostDoesNotApplyItsOutcome(EmbeddedRocketMQBroker broker) {
        try (FaultProxy network = FaultProxy.start(broker.endpoints());
                ConfigurableApplicationContext cutOff = instance(network.endpoint())) {
            Slow first = cutOff.getBean(Slow.class);
            cutOff.getBean("lease", DelayProducer.class).send(DelayMessage.of("l-1").withKey("l-1"));
            await().atMost(Duration.ofSeconds(20)).until(() -> first.started.size() == 1);
            try (ConfigurableApplicationContext other = instance(broker.endpoints())) {
                Slow second = other.getBean(Slow.class);
                second.release.countDown();
                // Renewals fail from now on; the lease ends 10 s after its last renewal, the broker delivers the
                // message again, and the other instance takes it.
                network.partition(FaultProxy.Direction.BOTH);
                await().atMost(Duration.ofSeconds(30)).until(() -> second.started.contains("l-1#0"));
                network.pass();
                // The first run fails now, after its lease was lost.
                first.release.countDown();

                await().atMost(Duration.ofSeconds(60)).until(() -> first.ended.size() + second.ended.size() >= 3);
                await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6))
                    .until(() -> first.started.size() + second.started.size() == 3);
                ListenerFigures cut = figures(cutOff);
                System.out.printf("Lease lost while a handler ran: runs %s here and %s there; leases lost %d, "
                    + "outcomes discarded %d, renewal failures %d, retries sent %d + %d%n", first.started,
                    second.started, cut.leasesLost(), cut.outcomesDiscarded(), cut.renewalFailures(), cut.retried(),
                    figures(other).retried());
                assertThat(cut.outcomesDiscarded()).isEqualTo(1);
                assertThat(cut.retried()).isZero();
                List<String> retries = new CopyOnWriteArrayList<>(first.started);
                retries.addAll(second.started);
                assertThat(retries).containsOnlyOnce("l-1#1");
            }
        }
    }

    private static ListenerFigures figures(ConfigurableApplicationContext context) {
        return context.getBean(OnsListenerRegistry.class).getListenerContainer("lease-group").getFigures();
    }

    private static ConfigurableApplicationContext instance(String endpoints) {
        return new SpringApplicationBuilder(TestApplication.class, Slow.class).web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .properties("mqs.ons.endpoints=" + endpoints, "mqs.ons.timer-precision=100ms",
                "mqs.ons.producers.lease.topic=consumer_lease", "mqs.ons.producers.lease.delays=1s")
            .run();
    }

    static class Slow {

        final List<String> started = new CopyOnWriteArrayList<>();

        final List<String> ended = new CopyOnWriteArrayList<>();

        /** Ends the first attempt's run: the cut-off instance's is held until after its lease was lost. */
        final CountDownLatch release = new CountDownLatch(1);

        @OnsListener(producer = "lease", group = "lease-group")
        boolean handle(String key, DeliveryContext context) throws InterruptedException {
            String attempt = key + "#" + context.attempt();
            started.add(attempt);
            if (context.attempt() == 0) {
                // The slow partner call, which fails.
                release.await(60, TimeUnit.SECONDS);
            }
            ended.add(attempt);
            return context.attempt() > 0;
        }

    }

}
