package io.github.onsdelay.jdbc.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.onsdelay.core.OnsConfigurationException;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The journal's four tables, checked at start-up: each must exist with every column the journal reads and
 * writes, or the application does not start, and the message names the table, its columns and the DDL that
 * creates it.
 */
public final class JournalSchema {

    static final String OUTBOX = "ons_delay_outbox";

    static final String CANCELLED = "ons_delay_cancelled";

    static final String HANDLED = "ons_delay_handled";

    static final String EXHAUSTED = "ons_delay_exhausted";

    private static final Map<String, List<String>> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put(OUTBOX, List.of("id", "producer", "topic", "tag", "business_key", "attempt", "due_at",
            "first_sent_at", "delivery_lead_ms", "send_timeout_ms", "body", "state", "created_at", "sent_at",
            "message_id", "recall_handle", "attempts", "last_error", "parked_at", "cancelled_at"));
        TABLES.put(CANCELLED, List.of("producer", "business_key", "cancelled_at"));
        TABLES.put(HANDLED, List.of("consumer_group", "business_key", "attempt", "handled_at"));
        TABLES.put(EXHAUSTED, List.of("id", "consumer_group", "producer", "topic", "tag", "business_key",
            "message_id", "attempt", "first_sent_at", "reason", "last_error", "body", "exhausted_at",
            "replay_count", "replayed_at"));
    }

    private final JournalDialect dialect;

    private JournalSchema(JournalDialect dialect) {
        this.dialect = dialect;
    }

    public JournalDialect dialect() {
        return dialect;
    }

    /**
     * Checks every table by selecting all its columns.
     *
     * @throws OnsConfigurationException naming the first table that is missing or of the wrong shape
     */
    public static JournalSchema check(JdbcTemplate jdbc, JournalDialect dialect) {
        TABLES.forEach((table, columns) -> {
            try {
                jdbc.queryForList("SELECT " + String.join(", ", columns) + " FROM " + table + " WHERE 1 = 0");
            }
            catch (DataAccessException ex) {
                throw new OnsConfigurationException("The ons-delay journal table " + table + " is missing or has "
                    + "the wrong shape: it needs the columns " + String.join(", ", columns) + " (the database said: "
                    + mostSpecific(ex) + "). Create the tables with " + dialect.schemaLocation() + " (your "
                    + "migration tool, or mqs.ons.jdbc.initialize-schema=always), or set mqs.ons.jdbc.enabled=false",
                    ex);
            }
        });
        return new JournalSchema(dialect);
    }

    private static String mostSpecific(DataAccessException ex) {
        Throwable cause = ex.getMostSpecificCause();
        return String.valueOf(cause.getMessage()).lines().findFirst().orElse("").trim();
    }

}
