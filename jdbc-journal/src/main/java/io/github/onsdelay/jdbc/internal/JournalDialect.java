package io.github.onsdelay.jdbc.internal;

import java.util.Locale;

import javax.sql.DataSource;

import io.github.onsdelay.core.OnsConfigurationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * The databases the journal supports, and the little SQL that differs between them: how to lock rows that
 * other application instances are not already sending ({@code SKIP LOCKED}), the database's own time (one clock
 * for every host that writes the journal), how a tombstone is written when two cancels of one key race, and
 * which DDL file creates the tables.
 */
public enum JournalDialect {

    /**
     * {@code clock_timestamp()}, not {@code now()}: {@code now()} is the transaction's start, which would make a
     * send after a cancel in one transaction look older than it.
     */
    POSTGRESQL("postgresql", " FOR UPDATE SKIP LOCKED",
        "CAST(FLOOR(EXTRACT(EPOCH FROM clock_timestamp()) * 1000) AS BIGINT)",
        "INSERT INTO " + JournalSchema.CANCELLED + " (producer, business_key, cancelled_at) VALUES (?, ?, %s) "
            + "ON CONFLICT (producer, business_key) DO UPDATE SET cancelled_at = "
            + "GREATEST(" + JournalSchema.CANCELLED + ".cancelled_at, EXCLUDED.cancelled_at)"),

    /**
     * MariaDB 10.6+ and MySQL 8.0.1+: both have {@code SKIP LOCKED}. The time is UTC counted from the epoch as
     * plain datetimes, so the session's time zone (and its daylight-saving hour) never enters it.
     */
    MARIADB("mariadb", " FOR UPDATE SKIP LOCKED",
        "(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000)",
        "INSERT INTO " + JournalSchema.CANCELLED + " (producer, business_key, cancelled_at) VALUES (?, ?, %s) "
            + "ON DUPLICATE KEY UPDATE cancelled_at = GREATEST(cancelled_at, VALUES(cancelled_at))"),

    /** H2 2.x. Its MERGE is not atomic against a concurrent insert; a failed statement does not end its transaction. */
    H2("h2", " FOR UPDATE SKIP LOCKED",
        "CAST(FLOOR(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000) AS BIGINT)",
        "MERGE INTO " + JournalSchema.CANCELLED + " t USING (VALUES (CAST(? AS VARCHAR(255)), "
            + "CAST(? AS VARCHAR(255)), %s)) n (producer, business_key, cancelled_at) "
            + "ON t.producer = n.producer AND t.business_key = n.business_key "
            + "WHEN MATCHED THEN UPDATE SET cancelled_at = GREATEST(t.cancelled_at, n.cancelled_at) "
            + "WHEN NOT MATCHED THEN INSERT (producer, business_key, cancelled_at) "
            + "VALUES (n.producer, n.business_key, n.cancelled_at)");

    private final String platform;

    private final String lockSkippingLocked;

    private final String nowMillis;

    private final String upsertTombstone;

    JournalDialect(String platform, String lockSkippingLocked, String nowMillis, String upsertTombstone) {
        this.platform = platform;
        this.lockSkippingLocked = lockSkippingLocked;
        this.nowMillis = nowMillis;
        this.upsertTombstone = upsertTombstone.formatted(nowMillis);
    }

    /** The suffix of the DDL file: {@code schema-<platform>.sql}. */
    public String platform() {
        return platform;
    }

    /** The classpath location of this database's DDL. */
    public String schemaLocation() {
        return "classpath:io/github/onsdelay/jdbc/schema-" + platform + ".sql";
    }

    /** Appended to a SELECT: locks the rows it returns and skips those another transaction holds. */
    String lockSkippingLocked() {
        return lockSkippingLocked;
    }

    /** An SQL expression: the database's time now, as epoch milliseconds, read when the statement runs. */
    String nowMillis() {
        return nowMillis;
    }

    /** The database's time now, as epoch milliseconds. */
    long now(JdbcTemplate jdbc) {
        Long now = jdbc.queryForObject("SELECT " + nowMillis, Long.class);
        if (now == null) {
            throw new IllegalStateException("The database returned no time for SELECT " + nowMillis);
        }
        return now;
    }

    /**
     * Writes a tombstone (producer, business key) at the database's time in one statement, or moves an existing
     * one forward: two cancels of one key at once both succeed (an insert that lost the race would abort a
     * PostgreSQL transaction).
     */
    String upsertTombstone() {
        return upsertTombstone;
    }

    /** The dialect of the database behind this DataSource. */
    public static JournalDialect of(DataSource dataSource) {
        String product;
        try {
            product = JdbcUtils.extractDatabaseMetaData(dataSource, metaData -> metaData.getDatabaseProductName());
        }
        catch (MetaDataAccessException ex) {
            throw new OnsConfigurationException("The ons-delay journal cannot tell which database the DataSource is: "
                + ex.getMessage() + ". Set mqs.ons.jdbc.enabled=false to run without the journal", ex);
        }
        String name = product.toLowerCase(Locale.ROOT);
        if (name.contains("postgres")) {
            return POSTGRESQL;
        }
        if (name.contains("mariadb") || name.contains("mysql")) {
            return MARIADB;
        }
        if (name.equals("h2")) {
            return H2;
        }
        throw new OnsConfigurationException("The ons-delay journal supports PostgreSQL, MariaDB, MySQL and H2, not "
            + product + " (the application's DataSource). Set mqs.ons.jdbc.enabled=false to run without it");
    }

}
