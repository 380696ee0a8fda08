package io.github.onsdelay.jdbc.internal;

import java.util.Locale;

import javax.sql.DataSource;

import io.github.onsdelay.core.OnsConfigurationException;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * The databases the journal supports, and the little SQL that differs between them: how to lock rows that
 * other application instances are not already sending ({@code SKIP LOCKED}), and which DDL file creates the
 * tables.
 */
public enum JournalDialect {

    POSTGRESQL("postgresql", " FOR UPDATE SKIP LOCKED"),

    /** MariaDB 10.6+ and MySQL 8.0.1+: both have {@code SKIP LOCKED}. */
    MARIADB("mariadb", " FOR UPDATE SKIP LOCKED"),

    H2("h2", " FOR UPDATE SKIP LOCKED");

    private final String platform;

    private final String lockSkippingLocked;

    JournalDialect(String platform, String lockSkippingLocked) {
        this.platform = platform;
        this.lockSkippingLocked = lockSkippingLocked;
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
