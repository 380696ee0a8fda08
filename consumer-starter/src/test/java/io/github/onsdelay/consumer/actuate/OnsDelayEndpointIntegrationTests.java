package io.github.onsdelay.consumer.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.onsdelay.consumer.DeliveryContext;
import io.github.onsdelay.consumer.OnsListener;
import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * The {@code onsdelay} endpoint, health and the live page's routes over HTTP, in a web application on a random
 * port with the endpoint exposed, on the real server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = {TestApplication.class, OnsDelayEndpointIntegrationTests.Beans.class}, properties = {
        "management.endpoints.web.exposure.include=health,onsdelay",
        "management.endpoint.health.show-components=always",
        "management.endpoint.health.show-details=always",
        "mqs.ons.dashboard.enabled=true",
        "mqs.ons.producers.push.topic=consumer_endpoint",
        "mqs.ons.producers.push.tag=push",
        "mqs.ons.producers.push.delays=100ms, 1h",
        "mqs.ons.producers.report.topic=consumer_endpoint",
        "mqs.ons.producers.report.tag=report",
        "mqs.ons.producers.report.delays=100ms, 1h",
        "mqs.ons.producers.failing.topic=consumer_endpoint",
        "mqs.ons.producers.failing.tag=failing"
    })
@EmbeddedRocketMQ(topics = "consumer_endpoint")
class OnsDelayEndpointIntegrationTests {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    @LocalServerPort
    int port;

    @Autowired
    Handlers handlers;

    @Autowired
    @Qualifier("push")
    DelayProducer push;

    @Autowired
    @Qualifier("report")
    DelayProducer report;

    @Autowired
    @Qualifier("failing")
    DelayProducer failing;

    private RestClient http() {
        return RestClient.create("http://127.0.0.1:" + port);
    }

    private static int statusOf(RestClient.RequestHeadersSpec<?> request) {
        Integer status = request.exchange((sent, response) -> response.getStatusCode().value());
        return status;
    }

    private Map<String, Object> get(String path) {
        return http().get().uri(path).retrieve().body(JSON);
    }

    private Map<String, Object> control(String id, String action) {
        return http().post().uri("/actuator/onsdelay/{id}", id).contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("action", action)).retrieve().body(JSON);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> named(Object list, String key, String value) {
        return ((List<Map<String, Object>>) list).stream().filter(item -> value.equals(item.get(key))).findFirst()
            .orElseThrow(() -> new AssertionError("no " + key + "=" + value + " in " + list));
    }

    @Test
    @SuppressWarnings("unchecked")
    void readsProducersAndListeners() {
        report.send(DelayMessage.of("read").withKey("read"));
        await().atMost(Duration.ofSeconds(20)).until(() -> handlers.handled.contains("read"));

        Map<String, Object> read = get("/actuator/onsdelay");
        Map<String, Object> producer = named(read.get("producers"), "name", "report");
        assertThat(producer).containsEntry("topic", "consumer_endpoint").containsEntry("tag", "report")
            .containsEntry("initialDelay", "PT0S").containsEntry("delays", List.of("PT0.1S", "PT1H"));
        assertThat((Map<String, Object>) producer.get("figures")).containsEntry("sent", 1).containsEntry("failed", 0);
        Map<String, Object> listener = named(read.get("listeners"), "id", "report-group");
        assertThat(listener).containsEntry("group", "report-group").containsEntry("producer", "report")
            .containsEntry("state", "RUNNING").containsEntry("subscription", Map.of("consumer_endpoint", "report"));
        Map<String, Object> figures = (Map<String, Object>) listener.get("figures");
        assertThat(figures).containsEntry("received", 1).containsEntry("succeeded", 1);
        assertThat((Map<String, Object>) figures.get("lateness")).containsKeys("upperBoundsMillis", "counts");

        assertThat(get("/actuator/onsdelay/report-group")).containsEntry("id", "report-group");
        assertThatExceptionOfType(HttpClientErrorException.class).isThrownBy(() -> get("/actuator/onsdelay/nobody"))
            .satisfies(ex -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND));
    }

    @Test
    void pausesAndResumesAListener() {
        assertThat(control("push-group", "pause")).containsEntry("state", "PAUSED");
        assertThat(named(get("/actuator/onsdelay").get("listeners"), "id", "push-group")).containsEntry("state", "PAUSED");
        push.send(DelayMessage.of("while-paused").withKey("while-paused"));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
            .until(() -> !handlers.handled.contains("while-paused"));

        assertThat(control("push-group", "resume")).containsEntry("state", "RUNNING");
        await().atMost(Duration.ofSeconds(20)).until(() -> handlers.handled.contains("while-paused"));

        assertThatExceptionOfType(HttpClientErrorException.class).isThrownBy(() -> control("push-group", "explode"))
            .satisfies(ex -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST));
    }

    @Test
    @SuppressWarnings("unchecked")
    void listsRecentRetriesAndExhaustions() {
        failing.send(DelayMessage.of("doomed").withKey("doomed"));
        await().atMost(Duration.ofSeconds(20)).until(() -> ((List<Map<String, Object>>) get("/actuator/onsdelay")
            .get("recentEvents")).stream().anyMatch(event -> "doomed".equals(event.get("businessKey"))));

        Map<String, Object> event = named(get("/actuator/onsdelay").get("recentEvents"), "businessKey", "doomed");
        assertThat(event).containsEntry("type", "EXHAUSTED").containsEntry("group", "failing-group")
            .containsEntry("producer", "failing").containsEntry("attempt", 0);
        assertThat((String) event.get("detail")).contains("partner down");
    }

    @Test
    @SuppressWarnings("unchecked")
    void reportsHealthOfTheClientAndEachListener() {
        Map<String, Object> components = (Map<String, Object>) get("/actuator/health").get("components");
        Map<String, Object> client = (Map<String, Object>) components.get("onsDelayClient");
        assertThat(client).containsEntry("status", "UP");
        Map<String, Object> listeners = (Map<String, Object>) ((Map<String, Object>) components.get("onsDelayListeners"))
            .get("components");
        assertThat((Map<String, Object>) listeners.get("push-group")).containsEntry("status", "UP");
        assertThat((Map<String, Object>) ((Map<String, Object>) listeners.get("push-group")).get("details"))
            .containsEntry("state", "RUNNING").containsEntry("group", "push-group");
    }

    @Test
    void servesTheLivePageAndItsReport() {
        String page = http().get().uri("/ons-delay").retrieve().body(String.class);
        assertThat(page).contains("<title>ons-delay</title>").contains("const BASE_URL = '/ons-delay'")
            .doesNotContain("__ONS_DELAY_REPORT_URL__");
        // Nothing loaded from elsewhere: the page works offline.
        assertThat(page).doesNotContainPattern("(src|href)\\s*=\\s*[\"']?(https?:)?//").doesNotContain("@import")
            .doesNotContain("https://");
        assertThat(get("/ons-delay/report")).containsKeys("producers", "listeners", "recentEvents");
        // No journal here: the page hides its section, and its routes say why.
        assertThat(page).contains("const JOURNAL = false;");
        assertThat(statusOf(http().get().uri("/ons-delay/exhausted"))).isEqualTo(404);
    }

    @Test
    void withoutSpringSecurityThePagesActionsWorkWithItsHeaderOnly() {
        // A form on another site cannot set a header: without it, the action is refused.
        assertThat(statusOf(http().post().uri("/ons-delay/listeners/report-group/pause")
            .contentType(MediaType.APPLICATION_JSON).body(Map.of()))).isEqualTo(403);
        assertThat(named(get("/ons-delay/report").get("listeners"), "id", "report-group")).containsEntry("state", "RUNNING");

        Map<String, Object> paused = http().post().uri("/ons-delay/listeners/report-group/pause")
            .header("X-Ons-Delay-Action", "test").contentType(MediaType.APPLICATION_JSON).body(Map.of()).retrieve()
            .body(JSON);
        assertThat(paused).containsEntry("outcome", "Listener report-group: pause done, now PAUSED");
        assertThat(named(get("/ons-delay/report").get("listeners"), "id", "report-group")).containsEntry("state", "PAUSED");
        Map<String, Object> resumed = http().post().uri("/ons-delay/listeners/report-group/resume")
            .header("X-Ons-Delay-Action", "test").contentType(MediaType.APPLICATION_JSON).body(Map.of()).retrieve()
            .body(JSON);
        assertThat(resumed).containsEntry("outcome", "Listener report-group: resume done, now RUNNING");
        assertThat(statusOf(http().post().uri("/ons-delay/listeners/report-group/explode")
            .header("X-Ons-Delay-Action", "test").contentType(MediaType.APPLICATION_JSON).body(Map.of()))).isEqualTo(400);
    }

    @Configuration(proxyBeanMethods = false)
    static class Beans {

        @Bean
        Handlers handlers() {
            return new Handlers();
        }

    }

    static class Handlers {

        final Set<String> handled = ConcurrentHashMap.newKeySet();

        @OnsListener(producer = "push", group = "push-group")
        void push(String payload, DeliveryContext context) {
            handled.add(context.businessKey());
        }

        @OnsListener(producer = "report", group = "report-group")
        void report(String payload, DeliveryContext context) {
            handled.add(context.businessKey());
        }

        @OnsListener(producer = "failing", group = "failing-group")
        void failing(String payload) {
            throw new IllegalStateException("partner down");
        }

    }

}
