package io.github.onsdelay.benchmarks;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.github.onsdelay.benchmarks.peers.Peer;
import io.github.onsdelay.benchmarks.peers.Versions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * db-scheduler on a real PostgreSQL (the embedded one JobRunr uses, a database of its own per polling interval):
 * one one-time task whose data is the body; a delayed body is an instance scheduled at its due time, a retried one
 * an instance due now; its failure handler retries once, 1 s later. The scheduler polls every
 * {@code pollingInterval}: 10 s is db-scheduler's default; it sets no lower bound, and 100 ms here is the short
 * end chosen for the benchmark (each poll is a query on the tasks table).
 */
final class DbSchedulerPeer implements Peer {

    /** db-scheduler's table for PostgreSQL, as its documentation gives it: the application creates it. */
    private static final String DDL = """
        create table scheduled_tasks (
          task_name text not null,
          task_instance text not null,
          task_data bytea,
          execution_time timestamp with time zone not null,
          picked boolean not null,
          picked_by text,
          last_success timestamp with time zone,
          last_failure timestamp with time zone,
          consecutive_failures int,
          last_heartbeat timestamp with time zone,
          version bigint not null,
          priority smallint,
          primary key (task_name, task_instance));
        create index execution_time_idx on scheduled_tasks (execution_time);
        create index last_heartbeat_idx on scheduled_tasks (last_heartbeat);
        create index priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc)
        """;

    private final EmbeddedPostgres postgres;

    private final Duration pollingInterval;

    private PeerDatabase database;

    private Scheduler scheduler;

    private OneTimeTask<String> task;

    DbSchedulerPeer(EmbeddedPostgres postgres, Duration pollingInterval) {
        this.postgres = postgres;
        this.pollingInterval = pollingInterval;
    }

    @Override
    public String name() {
        return "db-scheduler, poll " + describe(pollingInterval);
    }

    private static String describe(Duration interval) {
        return interval.toMillis() % 1000 == 0 ? interval.toSeconds() + " s" : interval.toMillis() + " ms";
    }

    @Override
    public String settings() {
        return "db-scheduler " + Versions.of("com.github.kagkarlsson", "db-scheduler", Scheduler.class)
            + ", polling every " + describe(pollingInterval)
            + (pollingInterval.equals(SchedulerBuilder.DEFAULT_POLLING_INTERVAL) ? " (default)" : " (no lower bound in the library)")
            + ", 10 threads (default), default poll strategy (fetch, lock on execute); one retry 1 s later "
            + "(MaxRetriesFailureHandler(1, OnFailureRetryLater(1 s))); " + database.description();
    }

    @Override
    public void start(Delivery delivery) throws Exception {
        database = PeerDatabase.create(postgres, "dbscheduler_" + pollingInterval.toMillis());
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            for (String sql : DDL.split(";")) {
                statement.execute(sql);
            }
        }
        task = Tasks.oneTime("peer", String.class)
            .onFailure(new FailureHandler.MaxRetriesFailureHandler<>(1,
                new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(1))))
            .execute((instance, context) -> {
                try {
                    delivery.handle(instance.getData());
                }
                catch (RuntimeException ex) {
                    throw ex;
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
        scheduler = Scheduler.create(database.dataSource(), task)
            .pollingInterval(pollingInterval)
            // Each task that fails on purpose would be logged, 10,000 times: not for the run.
            .failureLogging(LogLevel.OFF, false)
            .build();
        scheduler.start();
    }

    @Override
    public void sendDelayed(String body, long dueEpochMillis) {
        scheduler.scheduleIfNotExists(task.instance(UUID.randomUUID().toString(), body), Instant.ofEpochMilli(dueEpochMillis));
    }

    @Override
    public String asyncApi() {
        return "SchedulerClient.scheduleBatch (synchronous, one batch a call)";
    }

    @Override
    public java.util.concurrent.CompletableFuture<?> sendDelayedAsync(java.util.List<String> bodies, long dueEpochMillis) {
        java.util.List<com.github.kagkarlsson.scheduler.task.TaskInstance<?>> instances = bodies.stream()
            .<com.github.kagkarlsson.scheduler.task.TaskInstance<?>>map(body -> task.instance(UUID.randomUUID().toString(), body))
            .toList();
        scheduler.scheduleBatch(instances, Instant.ofEpochMilli(dueEpochMillis));
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    @Override
    public void sendRetried(String body) {
        scheduler.scheduleIfNotExists(task.instance(UUID.randomUUID().toString(), body), Instant.now());
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.stop();
        }
        if (database != null) {
            database.close();
        }
    }

}
