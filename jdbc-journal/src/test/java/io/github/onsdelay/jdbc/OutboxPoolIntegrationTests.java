package io.github.onsdelay.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.test.TestApplication;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Eight threads committing a business row and an outbox send each, on PostgreSQL with a Hikari pool of four:
 * the commit hands its rows to the relay's thread, so no committing thread asks the pool for a second connection
 * while it holds its first, and none waits for the pool's timeout. Prints commits per second and the time from
 * commit to sent; asserts no speed.
 */
@SpringBootTest(classes = TestApplication.class, properties = {"journal.prefix=pool",
    "spring.datasource.hikari.maximum-pool-size=" + OutboxPoolIntegrationTests.POOL,
    "spring.datasource.hikari.connection-timeout=" + OutboxPoolIntegrationTests.CONNECTION_TIMEOUT_MS,
    // A send the broker did not answer in time stays pending: the pass repairs it within the test.
    "mqs.ons.jdbc.relay-interval=2s"})
@EmbeddedRocketMQ(topics = {"pool_orders", "pool_pushes"}, maxDelay = JournalContractTests.SERVER_MAX_DELAY)
class OutboxPoolIntegrationTests {

    static final int POOL = 4;

    static final int THREADS = 8;

    static final long CONNECTION_TIMEOUT_MS = 10_000;

    /** Commits per thread; {@code -Doutbox.pool.commits=N} for a longer measurement. */
    static final int COMMITS = Integer.getInteger("outbox.pool.commits", 50);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabases.Database database = TestDatabases.postgres();
        registry.add("spring.datasource.url", database::url);
        registry.add("spring.datasource.username", database::username);
        registry.add("spring.datasource.password", database::password);
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    @Qualifier("partner-push")
    DelayProducer pushes;

    @Autowired
    MeterRegistry meters;

    @Test
    void committingThreadsBeyondThePoolNeverWaitForItsTimeout() throws Exception {
        jdbc.execute("CREATE TABLE IF NOT EXISTS pool_test_order (id VARCHAR(64) PRIMARY KEY, state VARCHAR(16))");
        // The client's first send fetches the topic's route: not part of what is measured.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> pushes.send(DelayMessage
            .of(Map.of("order", "warm-up")).withKey("pool-warm-up-" + UUID.randomUUID())) != null);
        double timeoutsBefore = poolTimeouts();

        // A first round warms the JIT up (a cold client costs milliseconds per send); then one commit at a time,
        // to see how soon after its commit a send reaches the broker when nothing queues; then eight threads.
        Figures warmUp = commit(THREADS, COMMITS);
        paced(COMMITS);
        Figures crowded = commit(THREADS, COMMITS);

        for (Figures figures : List.of(warmUp, crowded)) {
            assertThat(figures.slowestCommitNanos()).as("the slowest commit of %d thread(s), in ns", figures.threads())
                .isLessThan(TimeUnit.MILLISECONDS.toNanos(CONNECTION_TIMEOUT_MS / 2));
        }
        assertThat(poolTimeouts()).as("connections the pool could not give within its timeout")
            .isEqualTo(timeoutsBefore);
    }

    record Figures(int threads, long slowestCommitNanos) {
    }

    /** Commits one at a time, each time waiting until the relay marked its row sent; prints commit to sent. */
    private void paced(int commits) {
        String run = "paced-" + UUID.randomUUID().toString().substring(0, 8);
        List<Long> commitToSent = new ArrayList<>();
        for (int i = 0; i < commits; i++) {
            String key = run + "-" + i;
            transaction.executeWithoutResult(status -> {
                jdbc.update("INSERT INTO pool_test_order (id, state) VALUES (?, 'PAID')", key);
                pushes.send(DelayMessage.of(Map.of("order", key)).withKey(key));
            });
            long committed = System.nanoTime();
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10))
                .until(() -> "SENT".equals(jdbc.queryForObject("SELECT state FROM ons_delay_outbox WHERE "
                    + "business_key = ?", String.class, key)));
            commitToSent.add(System.nanoTime() - committed);
        }
        Collections.sort(commitToSent);
        System.out.printf("Outbox on PostgreSQL, one commit at a time, %d commits: commit to seen sent p50 %.1f ms, "
            + "p99 %.1f ms, max %.1f ms%n", commits, millis(commitToSent, 0.5), millis(commitToSent, 0.99),
            commitToSent.get(commitToSent.size() - 1) / 1e6);
    }

    /** Commits a business row and a send per transaction from this many threads; prints what it measured. */
    private Figures commit(int threadCount, int commitsPerThread) throws Exception {
        String run = "pool-" + UUID.randomUUID().toString().substring(0, 8);
        List<Long> commitNanos = Collections.synchronizedList(new ArrayList<>());
        List<String> failed = Collections.synchronizedList(new ArrayList<>());
        ExecutorService threads = Executors.newFixedThreadPool(threadCount);
        List<Future<?>> committers = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < threadCount; t++) {
            int thread = t;
            committers.add(threads.submit(() -> {
                for (int i = 0; i < commitsPerThread; i++) {
                    String key = run + "-" + thread + "-" + i;
                    long begin = System.nanoTime();
                    try {
                        transaction.executeWithoutResult(status -> {
                            jdbc.update("INSERT INTO pool_test_order (id, state) VALUES (?, 'PAID')", key);
                            pushes.send(DelayMessage.of(Map.of("order", key)).withKey(key));
                        });
                    }
                    catch (RuntimeException ex) {
                        failed.add(ex.toString());
                    }
                    commitNanos.add(System.nanoTime() - begin);
                }
            }));
        }
        threads.shutdown();
        for (Future<?> committer : committers) {
            committer.get((long) commitsPerThread * threadCount * CONNECTION_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        long elapsed = System.nanoTime() - started;
        int total = threadCount * commitsPerThread;
        int committed = total - failed.size();
        await().atMost(Duration.ofSeconds(60)).until(() -> sent(run) == committed);

        List<Long> sorted = new ArrayList<>(commitNanos);
        Collections.sort(sorted);
        // Both ends by this application's clock: the insert, and the relay's mark once the broker took it.
        List<Long> commitToSent = jdbc.queryForList("SELECT sent_at - created_at FROM ons_delay_outbox WHERE "
            + "business_key LIKE ? ORDER BY 1", Long.class, run + "-%");
        System.out.printf("Outbox on PostgreSQL, pool %d, %d thread(s), %d commits (%d failed): %.1f commits/s; commit "
            + "p50 %.1f ms, p99 %.1f ms, max %.1f ms; insert to sent p50 %d ms, p99 %d ms, max %d ms%n", POOL,
            threadCount, total, failed.size(), committed / (elapsed / 1e9), millis(sorted, 0.5), millis(sorted, 0.99),
            sorted.get(sorted.size() - 1) / 1e6, commitToSent.get(commitToSent.size() / 2),
            commitToSent.get((int) (commitToSent.size() * 0.99)), commitToSent.get(commitToSent.size() - 1));
        assertThat(failed).as("transactions that failed").isEmpty();
        assertThat(sorted).hasSize(total);
        return new Figures(threadCount, sorted.get(sorted.size() - 1));
    }

    private int sent(String run) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM ons_delay_outbox WHERE business_key LIKE ? AND "
            + "state = 'SENT'", Integer.class, run + "-%");
        return count == null ? 0 : count;
    }

    private double poolTimeouts() {
        // Spring Boot binds Hikari's meters; missing, the assertion on it could never fail.
        return meters.get("hikaricp.connections.timeout").counter().count();
    }

    private static double millis(List<Long> sortedNanos, double quantile) {
        return sortedNanos.get((int) Math.min(sortedNanos.size() - 1, sortedNanos.size() * quantile)) / 1e6;
    }

}
