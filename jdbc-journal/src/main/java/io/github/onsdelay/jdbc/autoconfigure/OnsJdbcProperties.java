package io.github.onsdelay.jdbc.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;

/**
 * The journal on the application's DataSource ({@code mqs.ons.jdbc}).
 */
@ConfigurationProperties("mqs.ons.jdbc")
public class OnsJdbcProperties {

    /** Whether the journal is on when the application has a DataSource and a transaction manager. */
    private boolean enabled = true;

    /**
     * Whether the journal creates its tables at start-up from its DDL: always, only for an embedded database
     * (H2), or never (your migration tool runs the DDL).
     */
    private DatabaseInitializationMode initializeSchema = DatabaseInitializationMode.EMBEDDED;

    /** How often the relay sends outbox rows left pending (a crash between a commit and its send). */
    private Duration relayInterval = Duration.ofSeconds(5);

    /** Most outbox rows the relay sends in one transaction. */
    private int relayBatchSize = 100;

    /**
     * How long sent outbox rows (past their due time), tombstones, handled records and exhausted messages are
     * kept; longer than your longest schedule, so that a tombstone outlives the retries it stops.
     */
    private Duration retention = Duration.ofDays(30);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public DatabaseInitializationMode getInitializeSchema() {
        return initializeSchema;
    }

    public void setInitializeSchema(DatabaseInitializationMode initializeSchema) {
        this.initializeSchema = initializeSchema;
    }

    public Duration getRelayInterval() {
        return relayInterval;
    }

    public void setRelayInterval(Duration relayInterval) {
        this.relayInterval = relayInterval;
    }

    public int getRelayBatchSize() {
        return relayBatchSize;
    }

    public void setRelayBatchSize(int relayBatchSize) {
        this.relayBatchSize = relayBatchSize;
    }

    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
    }

}
