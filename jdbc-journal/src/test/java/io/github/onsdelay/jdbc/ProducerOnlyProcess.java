package io.github.onsdelay.jdbc;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.github.onsdelay.producer.CancelResult;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.producer.SendJournal;
import io.github.onsdelay.test.TestApplication;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The producer-only application of {@link ProducerOnlyIntegrationTests}: a JVM whose class path lacks the
 * consumer starter. It checks that it has the outbox and no bean of the consumer starter, sends two messages
 * through the outbox in one transaction, cancels the second, and writes what the cancel did. Arguments:
 * endpoints, timer precision, JDBC URL, result directory, the key to deliver, the key to cancel.
 */
public final class ProducerOnlyProcess {

    private ProducerOnlyProcess() {
    }

    private static boolean sent(JdbcTemplate jdbc, String key) {
        return "SENT".equals(jdbc.queryForObject("SELECT state FROM ons_delay_outbox WHERE business_key = ?",
            String.class, key));
    }

    public static void main(String[] args) throws Exception {
        try {
            Class.forName("io.github.onsdelay.consumer.DeliveryJournal");
            throw new IllegalStateException("The consumer starter is on this class path: the test proves nothing");
        }
        catch (ClassNotFoundException expected) {
            // as it should be
        }
        String delivered = args[4];
        String cancelled = args[5];
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
                .properties("mqs.ons.endpoints=" + args[0], "mqs.ons.timer-precision=" + args[1],
                    "mqs.ons.max-delay=" + JournalContractTests.SERVER_MAX_DELAY, "spring.datasource.url=" + args[2],
                    "spring.datasource.username=postgres", "mqs.ons.jdbc.initialize-schema=always",
                    "mqs.ons.producers.solo-push.topic=solo_pushes", "mqs.ons.producers.solo-push.initial-delay=0s",
                    "journal.prefix=solo")
                .run()) {
            List<String> consumerSide = Arrays.stream(context.getBeanDefinitionNames())
                .filter(name -> {
                    Class<?> type = context.getBeanFactory().getType(name);
                    return type != null && type.getName().startsWith("io.github.onsdelay.consumer.");
                }).toList();
            if (!consumerSide.isEmpty() || context.getBeanNamesForType(SendJournal.class).length != 1) {
                throw new IllegalStateException("Beans of the consumer starter " + consumerSide + ", send journals "
                    + List.of(context.getBeanNamesForType(SendJournal.class)));
            }
            DelayProducer pushes = context.getBean("solo-push", DelayProducer.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            TransactionTemplate transaction = context.getBean(TransactionTemplate.class);
            transaction.executeWithoutResult(status -> pushes.send(DelayMessage.of(Map.of("k", delivered))
                .withKey(delivered)));
            await().atMost(Duration.ofSeconds(20)).until(() -> sent(jdbc, delivered));
            // Then, the client warm, one that stays in the broker's timer long enough to be recalled (under the
            // server's maximum delay of 3 s, so not a hop).
            transaction.executeWithoutResult(status -> pushes.send(DelayMessage.of(Map.of("k", cancelled))
                .withKey(cancelled).withDeliverAt(Instant.now().plusMillis(2800))));
            await().atMost(Duration.ofSeconds(2)).until(() -> sent(jdbc, cancelled));
            CancelResult cancel = pushes.cancel(cancelled);
            Files.writeString(Path.of(args[3]).resolve("result"), "recalled=" + cancel.recalled() + " journaled="
                + cancel.journaled());
        }
    }

}
