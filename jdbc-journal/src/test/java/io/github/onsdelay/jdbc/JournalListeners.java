package io.github.onsdelay.jdbc;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.onsdelay.consumer.DeliveryContext;
import io.github.onsdelay.consumer.OnsListener;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The listeners of the contract suite: orders are handled idempotently and write a row of their own in the
 * handler's transaction; pushes count every handler run and fail for the keys a test lists.
 */
public class JournalListeners {

    final JdbcTemplate jdbc;

    /** Each order handler run that committed or not: key and attempt. */
    final List<String> orderRuns = new CopyOnWriteArrayList<>();

    /** When each order key's handler first ran. */
    final Map<String, Instant> orderFirstRunAt = new ConcurrentHashMap<>();

    /** Each push handler run: key and attempt. */
    final List<String> pushRuns = new CopyOnWriteArrayList<>();

    /** When each push key's handler first ran. */
    final Map<String, Instant> pushFirstRunAt = new ConcurrentHashMap<>();

    /** Keys whose push handler fails, and orders whose handler fails. */
    final Set<String> failing = ConcurrentHashMap.newKeySet();

    public JournalListeners(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @OnsListener(producer = "order-cancel", group = "${journal.prefix}-orders", idempotent = true)
    public void cancelOrder(String orderId, DeliveryContext context) {
        // Decided before the run is recorded: a test that sees the run and then stops the failure would otherwise
        // race the check below (it once let attempt 0 succeed, and its retry never came).
        boolean fails = failing.contains(context.businessKey());
        orderFirstRunAt.putIfAbsent(context.businessKey(), Instant.now());
        orderRuns.add(context.businessKey() + "#" + context.attempt());
        jdbc.update("INSERT INTO journal_test_cancellation (order_id, attempt) VALUES (?, ?)", orderId,
            context.attempt());
        if (fails) {
            throw new IllegalStateException("order " + orderId + " cannot be cancelled yet");
        }
    }

    @OnsListener(producer = "partner-push", group = "${journal.prefix}-pushes")
    public void push(Map<String, Object> event, DeliveryContext context) {
        boolean fails = failing.contains(context.businessKey());
        pushFirstRunAt.putIfAbsent(context.businessKey(), Instant.now());
        pushRuns.add(context.businessKey() + "#" + context.attempt());
        if (fails) {
            throw new IllegalStateException("partner refused " + context.businessKey());
        }
    }

    long runs(List<String> runs, String key) {
        return runs.stream().filter(run -> run.startsWith(key + "#")).count();
    }

}
