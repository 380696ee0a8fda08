package io.github.onsdelay.benchmarks;

import java.time.Duration;
import java.util.List;

import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.embedded.TopicMessageType;
import org.jspecify.annotations.Nullable;

/**
 * The benchmark's embedded RocketMQ server, one at a time, with every scenario's topic: started at the timer
 * precision a scenario asks for, kept for the next scenario at that precision, closed when one asks for another
 * precision or the run ends.
 */
final class EmbeddedServers implements AutoCloseable {

    static final List<String> TOPICS = List.of("bench_send", "bench_consume_lib", "bench_consume_obs",
        "bench_consume_ctl", "bench_consume_raw", "bench_lateness_lib", "bench_lateness_raw", "bench_retry",
        "bench_burst_lib", "bench_burst_raw", "bench_journal", "bench_idem_on", "bench_idem_off",
        "bench_midnight_lib", "bench_midnight_tuned", "bench_midnight_raw", "bench_flash_lib", "bench_flash_raw",
        "bench_capacity_lib", "bench_capacity_raw", "bench_capacity_hold", "bench_first_lib", "bench_first_raw");

    private @Nullable EmbeddedRocketMQBroker running;

    /** The running server if it has this timer precision, else a new one that has it. */
    EmbeddedRocketMQBroker at(long precisionMs) {
        EmbeddedRocketMQBroker server = running;
        if (server != null && server.timerPrecision().toMillis() == precisionMs) {
            return server;
        }
        close();
        EmbeddedRocketMQBroker.Builder builder = EmbeddedRocketMQBroker.builder()
            .timerPrecision(Duration.ofMillis(precisionMs));
        for (String topic : TOPICS) {
            builder.topic(topic, TopicMessageType.DELAY);
        }
        BenchLog.log("Starting an embedded server at " + precisionMs + " ms timer precision");
        server = builder.build().start();
        running = server;
        return server;
    }

    @Override
    public void close() {
        EmbeddedRocketMQBroker server = running;
        running = null;
        if (server != null) {
            server.close();
        }
    }

}
