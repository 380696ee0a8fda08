package io.github.onsdelay.benchmarks;

/**
 * One row group of the benchmark (a few rows of one table), which {@code --only=NAME} selects by its name. A
 * scenario asks {@link EmbeddedServers} for the server at the timer precision it needs, starts what else it
 * needs, and closes that before it returns.
 */
interface Scenario {

    /** The name {@code --only=} selects it by. */
    String name();

    void run(Workload workload, EmbeddedServers servers, Report report) throws Exception;

}
