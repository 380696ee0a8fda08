package io.github.onsdelay.jdbc.autoconfigure;

import javax.sql.DataSource;

import io.github.onsdelay.core.TimedMessageSender;
import io.github.onsdelay.jdbc.ExhaustedMessages;
import io.github.onsdelay.jdbc.ParkedSends;
import io.github.onsdelay.jdbc.internal.JdbcDeliveryJournal;
import io.github.onsdelay.jdbc.internal.JdbcExhaustedMessages;
import io.github.onsdelay.jdbc.internal.JdbcParkedSends;
import io.github.onsdelay.jdbc.internal.JdbcSendJournal;
import io.github.onsdelay.jdbc.internal.JournalDialect;
import io.github.onsdelay.jdbc.internal.JournalSchema;
import io.github.onsdelay.jdbc.internal.OutboxRelay;
import io.github.onsdelay.producer.OnsProducerRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Auto-configuration of the journal on the application's DataSource: the DDL run when
 * {@code mqs.ons.jdbc.initialize-schema} asks for it, the tables checked, the outbox with its relay and cancel
 * by key for producers, the exhausted messages and parked sends to read and replay, and, only when the consumer
 * starter is on the class path, the journal of deliveries for listeners. A producer-only application takes the
 * producers' side alone.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
    "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
    "io.github.onsdelay.core.autoconfigure.OnsClientAutoConfiguration"},
    beforeName = {"io.github.onsdelay.producer.autoconfigure.OnsProducerAutoConfiguration",
        "io.github.onsdelay.consumer.autoconfigure.OnsConsumerAutoConfiguration"})
@ConditionalOnClass(JdbcTemplate.class)
@ConditionalOnBean({DataSource.class, PlatformTransactionManager.class, TimedMessageSender.class})
@ConditionalOnBooleanProperty(name = "mqs.ons.jdbc.enabled", matchIfMissing = true)
@EnableConfigurationProperties(OnsJdbcProperties.class)
public final class OnsJdbcAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    OnsJournalSchemaInitializer onsJournalSchemaInitializer(DataSource dataSource, OnsJdbcProperties properties) {
        return new OnsJournalSchemaInitializer(dataSource, JournalDialect.of(dataSource), properties);
    }

    /** Checked after the DDL ran, before anything uses the journal. */
    @Bean
    JournalSchema onsJournalSchema(DataSource dataSource, ObjectProvider<OnsJournalSchemaInitializer> initializer) {
        initializer.ifAvailable(ignored -> { });
        return JournalSchema.check(new JdbcTemplate(dataSource), JournalDialect.of(dataSource));
    }

    @Bean
    OutboxRelay onsOutboxRelay(DataSource dataSource, PlatformTransactionManager transactions, TimedMessageSender sender,
            JournalSchema schema, OnsJdbcProperties properties) {
        properties.validate();
        TransactionTemplate newTransaction = new TransactionTemplate(transactions);
        newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return new OutboxRelay(new JdbcTemplate(dataSource), newTransaction, sender, schema,
            new OutboxRelay.Settings(properties.getRelayInterval(), properties.getRelayBatchSize(),
                properties.getRetention(), properties.getRelayMaxAttempts()));
    }

    @Bean
    JdbcSendJournal onsSendJournal(DataSource dataSource, PlatformTransactionManager transactions,
            TimedMessageSender sender, OutboxRelay relay, JournalSchema schema) {
        return new JdbcSendJournal(dataSource, new JdbcTemplate(dataSource), new TransactionTemplate(transactions),
            sender, relay, schema);
    }

    @Bean
    ParkedSends onsParkedSends(DataSource dataSource, OutboxRelay relay) {
        return new JdbcParkedSends(new JdbcTemplate(dataSource), relay);
    }

    @Bean
    ExhaustedMessages onsExhaustedMessages(DataSource dataSource, TimedMessageSender sender,
            OnsProducerRegistry producers, JournalSchema schema) {
        return new JdbcExhaustedMessages(new JdbcTemplate(dataSource), sender, producers);
    }

    /**
     * The listeners' side, apart so that its types (which implement the consumer starter's
     * {@code DeliveryJournal}) are loaded only when that starter is there.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.github.onsdelay.consumer.DeliveryJournal")
    static class DeliveryJournalConfiguration {

        @Bean
        JdbcDeliveryJournal onsDeliveryJournal(DataSource dataSource, PlatformTransactionManager transactions,
                TimedMessageSender sender, JournalSchema schema) {
            return new JdbcDeliveryJournal(new JdbcTemplate(dataSource), new TransactionTemplate(transactions),
                sender);
        }

    }

}
