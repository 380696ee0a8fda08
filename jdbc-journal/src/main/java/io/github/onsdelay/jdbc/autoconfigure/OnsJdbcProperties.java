package io.github.onsdelay.jdbc.autoconfigure;

import java.time.Duration;

import io.github.onsdelay.core.OnsConfigurationException;
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

    /**
     * How often the relay goes through the outbox rows left pending: a crash between a commit and its send,
     * a send the broker refused or did not answer.
     */
    private Duration relayInterval = Duration.ofSeconds(5);

    /** Most outbox rows the relay sends in one transaction. */
    private int relayBatchSize = 100;

    /**
     * Refusals by the broker (a topic it does not know, a body over its limit, a denied write) after which an
     * outbox row is parked: kept, counted by ons.delay.outbox.parked, sent again only when replayed. A send
     * the broker did not answer is not counted.
     */
    private int relayMaxAttempts = 10;

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

    public int getRelayMaxAttempts() {
        return relayMaxAttempts;
    }

    public void setRelayMaxAttempts(int relayMaxAttempts) {
        this.relayMaxAttempts = relayMaxAttempts;
    }

    /** Fails start-up naming the first setting the relay cannot work with. */
    void validate() {
        if (relayMaxAttempts < 1) {
            throw new OnsConfigurationException("mqs.ons.jdbc.relay-max-attempts=" + relayMaxAttempts + " is not "
                + "valid: an outbox row is parked after this many refusals by the broker, so it must be 1 or more "
                + "(the default is 10)");
        }
        if (relayBatchSize < 1) {
            throw new OnsConfigurationException("mqs.ons.jdbc.relay-batch-size=" + relayBatchSize + " is not valid: "
                + "it must be 1 or more (the default is 100)");
        }
        if (relayInterval.isNegative() || relayInterval.isZero()) {
            throw new OnsConfigurationException("mqs.ons.jdbc.relay-interval=" + relayInterval + " is not valid: it "
                + "must be longer than 0 (the default is 5s)");
        }
    }

    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
    }

}
