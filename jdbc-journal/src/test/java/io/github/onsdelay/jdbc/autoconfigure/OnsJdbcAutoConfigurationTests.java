package io.github.onsdelay.jdbc.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.UUID;

import javax.sql.DataSource;

import io.github.onsdelay.consumer.DeliveryJournal;
import io.github.onsdelay.core.autoconfigure.OnsClientAutoConfiguration;
import io.github.onsdelay.jdbc.ExhaustedMessages;
import io.github.onsdelay.jdbc.ParkedSends;
import io.github.onsdelay.jdbc.internal.JdbcDeliveryJournal;
import io.github.onsdelay.jdbc.internal.OutboxRelay;
import io.github.onsdelay.producer.CancelResult;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.producer.SendJournal;
import io.github.onsdelay.producer.autoconfigure.OnsProducerAutoConfiguration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The journal's beans on H2 in memory, no server: a producer-only application (the consumer starter hidden
 * from the class loader) gets the outbox and cancel and nothing of the listeners' side; with the consumer
 * starter it gets the journal of deliveries too; a setting the relay cannot use fails start-up naming it.
 */
class OnsJdbcAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
            DataSourceTransactionManagerAutoConfiguration.class, OnsClientAutoConfiguration.class,
            OnsJdbcAutoConfiguration.class, OnsProducerAutoConfiguration.class))
        .withPropertyValues("mqs.ons.endpoints=127.0.0.1:1", "mqs.ons.producers.order-cancel.topic=order_cancel",
            "mqs.ons.jdbc.initialize-schema=always", "mqs.ons.jdbc.relay-interval=1h",
            "spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    @Nested
    class ProducerOnly {

        private final ApplicationContextRunner producerOnly = runner
            .withClassLoader(new FilteredClassLoader("io.github.onsdelay.consumer."));

        @Test
        void getsTheOutboxAndCancelAndNoListenerSide() {
            producerOnly.run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(OutboxRelay.class).hasSingleBean(SendJournal.class)
                    .hasSingleBean(ParkedSends.class).hasSingleBean(ExhaustedMessages.class)
                    .doesNotHaveBean(JdbcDeliveryJournal.class);
                assertThat(Arrays.stream(context.getBeanDefinitionNames())
                    .map(name -> context.getBeanFactory().getType(name))
                    .filter(type -> type != null && type.getName().startsWith("io.github.onsdelay.consumer.")))
                    .as("beans of the consumer starter").isEmpty();
                // A cancel goes through the journal (an unknown key needs no server).
                CancelResult cancel = context.getBean("order-cancel", DelayProducer.class).cancel("order-1");
                assertThat(cancel.journaled()).isFalse();
                assertThat(new JdbcTemplate(context.getBean(DataSource.class)).queryForObject("SELECT COUNT(*) "
                    + "FROM ons_delay_cancelled WHERE business_key = 'order-1'", Integer.class)).isEqualTo(1);
            });
        }

    }

    @Test
    void withTheConsumerStarterListenersGetTheJournalOfDeliveries() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(DeliveryJournal.class).hasSingleBean(JdbcDeliveryJournal.class);
        });
    }

    @Test
    void relayMaxAttemptsBelowOneFailsStartUpNamingIt() {
        runner.withPropertyValues("mqs.ons.jdbc.relay-max-attempts=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("mqs.ons.jdbc.relay-max-attempts=0 is not valid");
        });
    }

}
