package io.github.onsdelay.benchmarks;

import java.util.function.Consumer;

import io.github.onsdelay.consumer.OnsListener;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The journal scenario's handlers: both write one row per message; one handles once (its attempt recorded in the
 * transaction the row is written in), the other writes in auto-commit as a handler without the journal would.
 */
public class JournalBenchListeners {

    static volatile Consumer<String> arrived = id -> {
    };

    private final JdbcTemplate jdbc;

    public JournalBenchListeners(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @OnsListener(producer = "bench-idem-on", group = "bench-idem-on", idempotent = true)
    public void handleOnce(Payload payload) {
        jdbc.update("INSERT INTO bench_handled (id) VALUES (?)", payload.id());
        arrived.accept(payload.id());
    }

    @OnsListener(producer = "bench-idem-off", group = "bench-idem-off")
    public void handle(Payload payload) {
        jdbc.update("INSERT INTO bench_handled (id) VALUES (?)", payload.id());
        arrived.accept(payload.id());
    }

}
