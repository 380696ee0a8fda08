package io.github.onsdelay.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * The {@code onsdelayexhausted} and {@code onsdelayparked} endpoints over HTTP, on H2 and the real server: list and
 * show a kept message or a parked outbox row, replay it so its handler runs, and answer an unknown id or a bad
 * attempt with a client error.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = {TestApplication.class, JournalListeners.class}, properties = {
        "journal.prefix=web",
        "spring.datasource.url=jdbc:h2:mem:endpoint;DB_CLOSE_DELAY=-1",
        "management.endpoints.web.exposure.include=onsdelayexhausted,onsdelayparked",
        // Spring Boot keeps an error's message out of the response unless told to: the reason is the point here.
        "spring.web.error.include-message=always"
    })
@EmbeddedRocketMQ(topics = {"web_orders", "web_pushes"}, maxDelay = JournalContractTests.SERVER_MAX_DELAY)
class ExhaustedEndpointIntegrationTests {

    private static final ParameterizedTypeReference<Map<String, Object>> OBJECT = new ParameterizedTypeReference<>() {
    };

    private static final ParameterizedTypeReference<List<Map<String, Object>>> LIST =
        new ParameterizedTypeReference<>() {
        };

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JournalListeners listeners;

    private RestClient http() {
        return RestClient.create("http://127.0.0.1:" + port + "/actuator/onsdelayexhausted");
    }

    @Test
    void aParkedOutboxRowIsListedShownAndReplayedOverHttp() {
        String key = "parked-" + UUID.randomUUID().toString().substring(0, 8);
        long now = System.currentTimeMillis();
        // As the relay leaves a row the broker refused three times (its own path is the contract suite's).
        jdbc.update("INSERT INTO ons_delay_outbox (producer, topic, tag, business_key, attempt, due_at, first_sent_at, "
            + "delivery_lead_ms, send_timeout_ms, body, state, created_at, attempts, last_error, parked_at) VALUES "
            + "('partner-push', 'web_pushes', NULL, ?, 0, ?, ?, 0, 3000, ?, 'PARKED', ?, 3, 'topic not found', ?)", key,
            now, now, ("{\"k\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8), now, now);
        RestClient parked = RestClient.create("http://127.0.0.1:" + port + "/actuator/onsdelayparked");
        Map<String, Object> listed = parked.get().uri("?producer=partner-push").retrieve().body(LIST).stream()
            .filter(entry -> key.equals(entry.get("businessKey"))).findFirst().orElseThrow();
        long id = ((Number) listed.get("id")).longValue();
        assertThat(listed).containsEntry("attempts", 3).containsEntry("lastError", "topic not found");
        assertThat(parked.get().uri("/{id}", id).retrieve().body(OBJECT))
            .containsEntry("body", "{\"k\":\"" + key + "\"}");

        Map<String, Object> replayed = parked.post().uri("/{id}", id).retrieve().body(OBJECT);
        assertThat(replayed).containsEntry("sent", true).containsKey("messageId");
        await().atMost(Duration.ofSeconds(10)).until(() -> listeners.pushRuns.contains(key + "#0"));
        assertThatExceptionOfType(HttpClientErrorException.class)
            .isThrownBy(() -> parked.post().uri("/{id}", id).retrieve().toBodilessEntity())
            .satisfies(ex -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST))
            .satisfies(ex -> assertThat(ex.getResponseBodyAsString()).contains("No parked outbox row with id " + id));
        assertThatExceptionOfType(HttpClientErrorException.class)
            .isThrownBy(() -> parked.get().uri("/{id}", id).retrieve().toBodilessEntity())
            .satisfies(ex -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND));
    }

    @Test
    void anExhaustedMessageIsListedShownAndReplayedOverHttp() {
        String key = "web-" + UUID.randomUUID().toString().substring(0, 8);
        long now = System.currentTimeMillis();
        // As the journal keeps an exhaustion of the push listener (its own path is the contract suite's).
        jdbc.update("INSERT INTO ons_delay_exhausted (consumer_group, producer, topic, tag, business_key, message_id, "
            + "attempt, first_sent_at, reason, last_error, body, exhausted_at, replay_count) VALUES ('web-pushes', "
            + "'partner-push', 'web_pushes', NULL, ?, ?, 1, ?, 'RETRIES_EXHAUSTED', 'partner refused', ?, ?, 0)", key,
            "msg-" + key, now, ("{\"k\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8), now);
        Map<String, Object> listed = http().get().uri("?group=web-pushes").retrieve().body(LIST).stream()
            .filter(entry -> key.equals(entry.get("businessKey"))).findFirst().orElseThrow();
        long id = ((Number) listed.get("id")).longValue();
        assertThat(listed).containsEntry("reason", "RETRIES_EXHAUSTED").containsEntry("lastError", "partner refused");

        Map<String, Object> shown = http().get().uri("/{id}", id).retrieve().body(OBJECT);
        assertThat(shown).containsEntry("body", "{\"k\":\"" + key + "\"}").containsEntry("replayCount", 0);

        Map<String, Object> replayed = http().post().uri("/{id}", id).contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("attempt", 0)).retrieve().body(OBJECT);
        assertThat(replayed).containsEntry("replayCount", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> listeners.pushRuns.contains(key + "#0"));
        assertThat(http().get().uri("/{id}", id).retrieve().body(OBJECT)).containsEntry("replayCount", 1);

        assertThatExceptionOfType(HttpClientErrorException.class)
            .isThrownBy(() -> http().post().uri("/{id}", id).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("attempt", 9)).retrieve().toBodilessEntity())
            .satisfies(ex -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST))
            .satisfies(ex -> assertThat(ex.getResponseBodyAsString()).contains("outside producer 'partner-push''s schedule"));
        assertThatExceptionOfType(HttpClientErrorException.class)
            .isThrownBy(() -> http().post().uri("/{id}", Long.MAX_VALUE).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of()).retrieve().toBodilessEntity())
            .satisfies(ex -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST))
            .satisfies(ex -> assertThat(ex.getResponseBodyAsString()).contains("No exhausted message with id"));
        assertThatExceptionOfType(HttpClientErrorException.class)
            .isThrownBy(() -> http().get().uri("/{id}", Long.MAX_VALUE).retrieve().toBodilessEntity())
            .satisfies(ex -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND));
    }

}
