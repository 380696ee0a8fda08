package io.github.onsdelay.benchmarks;

import java.time.Duration;
import java.time.Instant;

import io.github.onsdelay.benchmarks.peers.Peer;
import io.github.onsdelay.benchmarks.peers.Versions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.configuration.JobRunrConfiguration.JobRunrConfigurationResult;
import org.jobrunr.jobs.filters.RetryFilter;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.jackson3.Jackson3JsonMapper;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;

/**
 * JobRunr on a real PostgreSQL (the embedded one of the journal benchmark, a database of its own per poll
 * interval): a delayed body is a job request scheduled at its due time, a retried one is enqueued; the job's
 * retry is JobRunr's {@code RetryFilter} with 1 retry and back-off seed 1 (seed^failures = 1 s). A background job
 * server polls every {@code pollInterval}: 15 s is JobRunr's default, 5 s the smallest it accepts on a SQL
 * database.
 */
final class JobRunrPeer implements Peer {

    static volatile Delivery delivery = body -> {
    };

    private final EmbeddedPostgres postgres;

    private final Duration pollInterval;

    private PeerDatabase database;

    private JobRunrConfigurationResult jobRunr;

    private JobRequestScheduler scheduler;


    JobRunrPeer(EmbeddedPostgres postgres, Duration pollInterval) {
        this.postgres = postgres;
        this.pollInterval = pollInterval;
    }

    @Override
    public String name() {
        return "JobRunr, poll " + pollInterval.toSeconds() + " s";
    }

    @Override
    public String settings() {
        return "JobRunr " + Versions.of("org.jobrunr", "jobrunr", JobRunr.class) + ", background job server polling every "
            + pollInterval.toSeconds() + " s" + (pollInterval.toSeconds() == 15 ? " (default)" : " (smallest on SQL)")
            + ", default workers; RetryFilter(1 retry, seed 1 = 1 s); " + database.description();
    }

    @Override
    public void start(Delivery delivery) throws Exception {
        JobRunrPeer.delivery = delivery;
        // Each job that fails on purpose is logged with its stack trace, 10,000 times: not for the run.
        LoggingSystem.get(getClass().getClassLoader()).setLogLevel("org.jobrunr", LogLevel.ERROR);
        database = PeerDatabase.create(postgres, "jobrunr_" + pollInterval.toSeconds());
        jobRunr = JobRunr.configure()
            .useJsonMapper(new Jackson3JsonMapper())
            .useStorageProvider(new PostgresStorageProvider(database.dataSource()))
            .withJobFilter(new RetryFilter(1, 1))
            .useBackgroundJobServer(BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                .andPollInterval(pollInterval))
            .initialize();
        scheduler = jobRunr.getJobRequestScheduler();
    }

    @Override
    public void sendDelayed(String body, long dueEpochMillis) {
        scheduler.schedule(Instant.ofEpochMilli(dueEpochMillis), new PeerJob(body));
    }

    @Override
    public String asyncApi() {
        return "JobRequestScheduler.create(Stream<JobBuilder>) (synchronous, one batch a call)";
    }

    @Override
    public java.util.concurrent.CompletableFuture<?> sendDelayedAsync(java.util.List<String> bodies, long dueEpochMillis) {
        Instant due = Instant.ofEpochMilli(dueEpochMillis);
        scheduler.create(bodies.stream().map(body -> org.jobrunr.scheduling.JobBuilder.aJob().scheduleAt(due)
            .withJobRequest(new PeerJob(body))));
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    @Override
    public void sendRetried(String body) {
        scheduler.enqueue(new PeerJob(body));
    }

    @Override
    public void close() {
        if (jobRunr != null) {
            jobRunr.getBackgroundJobServer().stop();
            JobRunr.destroy();
        }
        if (database != null) {
            database.close();
        }
    }

    /** A job: the body to hand to the delivery. */
    public record PeerJob(String body) implements JobRequest {

        @Override
        public Class<PeerJobHandler> getJobRequestHandler() {
            return PeerJobHandler.class;
        }

    }

    /** Runs a {@link PeerJob}; JobRunr instantiates it. */
    public static class PeerJobHandler implements JobRequestHandler<PeerJob> {

        @Override
        public void run(PeerJob job) throws Exception {
            delivery.handle(job.body());
        }

    }

}
