package io.github.onsdelay.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A database of its own for one peer on the benchmark's embedded PostgreSQL, with a HikariCP pool of 10, and the
 * server's version and commit setting for the table's notes. Closing it closes the pool.
 */
final class PeerDatabase implements AutoCloseable {

    private final HikariDataSource dataSource;

    private final String description;

    private PeerDatabase(HikariDataSource dataSource, String description) {
        this.dataSource = dataSource;
        this.description = description;
    }

    static PeerDatabase create(EmbeddedPostgres postgres, String name) throws SQLException {
        String description;
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
            description = "PostgreSQL " + show(statement, "server_version") + " (embedded by zonky, whose defaults "
                + "include synchronous_commit=" + show(statement, "synchronous_commit") + "), HikariCP 10";
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", name));
        config.setMaximumPoolSize(10);
        return new PeerDatabase(new HikariDataSource(config), description);
    }

    private static String show(Statement statement, String setting) throws SQLException {
        try (ResultSet result = statement.executeQuery("SHOW " + setting)) {
            result.next();
            return result.getString(1);
        }
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** For example "PostgreSQL 14.22 (embedded by zonky, whose defaults include synchronous_commit=off), HikariCP 10". */
    String description() {
        return description;
    }

    @Override
    public void close() {
        dataSource.close();
    }

}
