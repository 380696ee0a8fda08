package io.github.onsdelay.jdbc.autoconfigure;

import java.util.List;

import javax.sql.DataSource;

import io.github.onsdelay.jdbc.internal.JournalDialect;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;

/**
 * Creates the journal's tables from the DDL of the application's database, as {@code mqs.ons.jdbc.initialize-schema}
 * says: always, only for an embedded database, or never.
 */
public final class OnsJournalSchemaInitializer extends DataSourceScriptDatabaseInitializer {

    OnsJournalSchemaInitializer(DataSource dataSource, JournalDialect dialect, OnsJdbcProperties properties) {
        super(dataSource, settings(dialect, properties));
    }

    private static DatabaseInitializationSettings settings(JournalDialect dialect, OnsJdbcProperties properties) {
        DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
        settings.setSchemaLocations(List.of(dialect.schemaLocation()));
        settings.setMode(properties.getInitializeSchema());
        settings.setContinueOnError(false);
        return settings;
    }

}
