package io.github.onsdelay.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A journal table missing or of the wrong shape fails start-up with a message that names it, its columns and
 * the DDL; {@code initialize-schema=always} creates the tables.
 */
class JournalSchemaIntegrationTests {

    private static ConfigurableApplicationContext start(String database, String initialize) {
        return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
            .run("--spring.datasource.url=jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1",
                "--mqs.ons.endpoints=127.0.0.1:9", "--mqs.ons.embedded.enabled=false",
                "--mqs.ons.jdbc.initialize-schema=" + initialize, "--journal.prefix=schema");
    }

    private static void execute(String database, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1", "sa", "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void missingTablesFailStartUpNamingTheTableAndTheDdl() {
        assertThatThrownBy(() -> start("no_tables", "never")).isInstanceOf(Exception.class)
            .hasStackTraceContaining("The ons-delay journal table ons_delay_outbox is missing or has the wrong shape")
            .hasStackTraceContaining("classpath:io/github/onsdelay/jdbc/schema-h2.sql")
            .hasStackTraceContaining("mqs.ons.jdbc.initialize-schema=always");
    }

    @Test
    void aTableOfTheWrongShapeFailsStartUpNamingIt() throws Exception {
        try (ConfigurableApplicationContext created = start("wrong_shape", "always")) {
            assertThat(created.isRunning()).isTrue();
        }
        execute("wrong_shape", "DROP TABLE ons_delay_handled");
        execute("wrong_shape", "CREATE TABLE ons_delay_handled (consumer_group VARCHAR(255), business_key VARCHAR(255))");
        assertThatThrownBy(() -> start("wrong_shape", "never")).isInstanceOf(Exception.class)
            .hasStackTraceContaining("ons_delay_handled is missing or has the wrong shape")
            .hasStackTraceContaining("consumer_group, business_key, attempt, handled_at");
    }

}
