package io.github.onsdelay.jdbc.autoconfigure;

import io.github.onsdelay.consumer.actuate.OnsDashboardJournal;
import io.github.onsdelay.jdbc.ExhaustedMessages;
import io.github.onsdelay.jdbc.internal.JdbcDashboardJournal;
import io.github.onsdelay.producer.OnsProducerRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The journal's actions on the live page (replay an exhausted message, cancel a business key), when the journal
 * keeps exhausted messages; the page itself is the consumer starter's.
 */
@AutoConfiguration(after = OnsJdbcAutoConfiguration.class,
    afterName = "io.github.onsdelay.producer.autoconfigure.OnsProducerAutoConfiguration")
@ConditionalOnClass(OnsDashboardJournal.class)
@ConditionalOnBean({ ExhaustedMessages.class, OnsProducerRegistry.class })
public final class OnsDashboardJournalAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    OnsDashboardJournal onsDashboardJournal(ExhaustedMessages messages, OnsProducerRegistry producers) {
        return new JdbcDashboardJournal(messages, producers);
    }

}
