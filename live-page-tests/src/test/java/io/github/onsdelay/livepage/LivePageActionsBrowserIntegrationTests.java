package io.github.onsdelay.livepage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.onsdelay.consumer.DeliveryContext;
import io.github.onsdelay.consumer.OnsListener;
import io.github.onsdelay.consumer.OnsListenerContainer;
import io.github.onsdelay.consumer.OnsListenerRegistry;
import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.OnsProducerRegistry;
import io.github.onsdelay.test.HeadlessChromium;
import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.client.RestClient;

/**
 * The live page of an application with Spring Security and the JDBC journal (H2), in Debian's headless Chromium: an
 * operator with the role logs in, pauses a listener and sees nothing handled while it is paused, resumes it, replays
 * an exhausted message, stops and starts a listener and cancels a key, each confirmed and answered on the page; a user without the role is
 * refused (403) and cannot act, and no user at all gets 401. Saves {@code target/live-page.png}. Needs the
 * {@code chromium} and {@code chromium-driver} packages (see {@link HeadlessChromium}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = { TestApplication.class, LivePageActionsBrowserIntegrationTests.Application.class }, properties = {
        "spring.datasource.url=jdbc:h2:mem:livepage;DB_CLOSE_DELAY=-1",
        "mqs.ons.jdbc.initialize-schema=always",
        "mqs.ons.dashboard.enabled=true",
        "mqs.ons.producers.lp-orders.topic=lp_orders",
        "mqs.ons.producers.lp-orders.initial-delay=0s",
        "mqs.ons.producers.lp-pushes.topic=lp_pushes",
        "mqs.ons.producers.lp-pushes.initial-delay=0s",
        "mqs.ons.producers.lp-pushes.delays=1s",
        "mqs.ons.producers.lp-later.topic=lp_later",
        "mqs.ons.producers.lp-later.initial-delay=4s"
    })
@EmbeddedRocketMQ(topics = { "lp_orders", "lp_pushes", "lp_later" })
class LivePageActionsBrowserIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    Handlers handlers;

    @Autowired
    OnsProducerRegistry producers;

    @Autowired
    OnsListenerRegistry listeners;

    private ChromeDriver browser;

    @BeforeEach
    void openBrowser() {
        browser = HeadlessChromium.start();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
        OnsListenerContainer orders = listeners.getListenerContainer("lp-orders-listener");
        if (orders != null && orders.isPaused()) {
            orders.resume();
        }
    }

    @Test
    void anOperatorPausesResumesReplaysAndCancelsFromThePage() throws Exception {
        logIn("operator", "operator-pw");
        browser.get(url("/ons-delay"));
        await().atMost(Duration.ofSeconds(15)).until(() -> text("#updated").startsWith("live"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "RUNNING".equals(state("lp-orders-listener")));

        // Pause: confirmed, answered, and the state on the page follows; a message due now is not handled.
        click("[data-listener='lp-orders-listener'] button[data-action='pause']");
        confirm();
        await().atMost(Duration.ofSeconds(5)).until(() -> "PAUSED".equals(state("lp-orders-listener")));
        assertThat(text("#outcome")).contains("Listener lp-orders-listener: pause done, now PAUSED");
        producers.getProducer("lp-orders").send(DelayMessage.of("while-paused").withKey("while-paused"));
        // Paused, the listener takes nothing from the broker: 3 s is three due-now deliveries' worth of time.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
            .until(() -> !handlers.orders.contains("while-paused"));

        click("[data-listener='lp-orders-listener'] button[data-action='resume']");
        confirm();
        await().atMost(Duration.ofSeconds(5)).until(() -> "RUNNING".equals(state("lp-orders-listener")));
        await().atMost(Duration.ofSeconds(15)).until(() -> handlers.orders.contains("while-paused"));

        // Stop and start: the consumer goes and comes back.
        click("[data-listener='lp-later-listener'] button[data-action='stop']");
        confirm();
        await().atMost(Duration.ofSeconds(10)).until(() -> "STOPPED".equals(state("lp-later-listener")));
        click("[data-listener='lp-later-listener'] button[data-action='start']");
        confirm();
        await().atMost(Duration.ofSeconds(10)).until(() -> "RUNNING".equals(state("lp-later-listener")));
        assertThat(text("#outcome")).contains("Listener lp-later-listener: start done, now RUNNING");

        // Replay: a message exhausted (both attempts failed) is listed, replayed from the page, and handled.
        producers.getProducer("lp-pushes").send(DelayMessage.of("push-1").withKey("push-1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#exhausted tbody").contains("push-1"));
        // Its key and error are shown, its body never (not even in the data the page reads).
        List<Map<String, Object>> exhausted = operator().get().uri("/ons-delay/exhausted")
            .accept(MediaType.APPLICATION_JSON).retrieve().body(new ParameterizedTypeReference<>() {
            });
        assertThat(exhausted).filteredOn(entry -> "push-1".equals(entry.get("businessKey"))).singleElement()
            .satisfies(entry -> assertThat(entry)
            .containsEntry("businessKey", "push-1").containsKey("lastError").doesNotContainKey("body"));
        handlers.pushesSucceed.set(true);
        click("#exhausted button[data-key='push-1']");
        confirm();
        await().atMost(Duration.ofSeconds(5)).until(() -> text("#outcome").contains("sent again as attempt 0"));
        await().atMost(Duration.ofSeconds(15)).until(() -> handlers.pushesHandled.contains("push-1"));

        // A body that cannot be read is poison: its key and that it could not be read are shown, not its body.
        producers.getProducer("lp-orders").send(DelayMessage.of("{\"card\":\"4242-secret".getBytes(
            java.nio.charset.StandardCharsets.UTF_8)).withKey("poison-1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#exhausted tbody").contains("poison-1")
            && text("#events tbody").contains("poison-1"));
        assertThat(text("#events tbody") + text("#exhausted tbody")).contains("the body cannot be read")
            .doesNotContain("4242-secret");

        // Cancel: the key's pending message never runs.
        producers.getProducer("lp-later").send(DelayMessage.of("later-1").withKey("later-1"));
        browser.findElement(By.cssSelector("#cancel-producer option[value='lp-later']")).click();
        browser.findElement(By.id("cancel-key")).sendKeys("later-1");
        click("#cancel button[type='submit']");
        confirm();
        await().atMost(Duration.ofSeconds(5)).until(() -> text("#outcome").contains("Key later-1 of lp-later cancelled"));
        // Past its due time (4 s after the send), with a margin: it never ran.
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(7))
            .until(() -> !handlers.later.contains("later-1"));

        await().atMost(Duration.ofSeconds(5)).until(() -> text("#outcome").contains("cancelled"));
        browser.executeScript("document.activeElement.blur(); window.scrollTo(0, 0)");
        Path saved = Path.of("target", "live-page.png");
        Files.createDirectories(saved.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), saved, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(saved)).isGreaterThan(10_000);
        System.out.println("Live page screenshot: " + saved.toAbsolutePath());
    }

    @Test
    void aUserWithoutTheRoleSees403AndCannotActAndNoUserGets401() {
        logIn("viewer", "viewer-pw");
        browser.get(url("/ons-delay"));
        assertThat(browser.getPageSource()).contains("lacks the role ONS_DELAY_ADMIN");

        // With a valid CSRF token of its session (from the logout page's form), an action reaches ons-delay's own
        // check, which refuses a user without the role.
        browser.get(url("/logout"));
        Object answer = browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
            + "const token = document.querySelector('input[name=_csrf]').value;"
            + "fetch('/ons-delay/listeners/lp-orders-listener/pause', { method: 'POST', headers: {"
            + " 'X-CSRF-TOKEN': token, 'X-Ons-Delay-Action': 'page', 'Content-Type': 'application/json' }, body: '{}' })"
            + ".then(r => r.text().then(t => done(r.status + ' ' + t)))");
        assertThat(String.valueOf(answer)).startsWith("403").contains("The user viewer lacks the role ONS_DELAY_ADMIN");

        RestClient viewer = RestClient.builder().baseUrl(url("")).defaultHeaders(h -> h.setBasicAuth("viewer", "viewer-pw"))
            .build();
        assertThat(status(viewer, "/ons-delay/report", false)).isEqualTo(403);
        // Refused by the application's security (no CSRF token: 401 once its error page asks for a login) before
        // ons-delay's own check of the role would refuse it too.
        assertThat(status(viewer, "/ons-delay/listeners/lp-orders-listener/pause", true)).isIn(401, 403);
        assertThat(listeners.getListenerContainer("lp-orders-listener").getState())
            .isEqualTo(OnsListenerContainer.State.RUNNING);

        RestClient anonymous = RestClient.builder().baseUrl(url("")).build();
        assertThat(status(anonymous, "/ons-delay/report", false)).isEqualTo(401);

        // The role alone is not enough to act: the CSRF token the page carries must come too.
        RestClient operator = operator();
        assertThat(status(operator, "/ons-delay/report", false)).isEqualTo(200);
        assertThat(status(operator, "/ons-delay/listeners/lp-orders-listener/pause", true)).isIn(401, 403);
        assertThat(listeners.getListenerContainer("lp-orders-listener").getState())
            .isEqualTo(OnsListenerContainer.State.RUNNING);
    }

    private RestClient operator() {
        return RestClient.builder().baseUrl(url("")).defaultHeaders(h -> h.setBasicAuth("operator", "operator-pw"))
            .build();
    }

    private int status(RestClient client, String path, boolean post) {
        RestClient.ResponseSpec response = post
            ? client.post().uri(path).contentType(MediaType.APPLICATION_JSON).header("X-Ons-Delay-Action", "test")
                .body(Map.of()).retrieve()
            : client.get().uri(path).accept(MediaType.APPLICATION_JSON).retrieve();
        return response.onStatus(HttpStatusCode::isError, (request, answer) -> { })
            .toBodilessEntity().getStatusCode().value();
    }

    private void logIn(String user, String password) {
        browser.get(url("/login"));
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.cssSelector("button[type='submit']")).click();
        await().atMost(Duration.ofSeconds(5)).until(() -> !browser.getCurrentUrl().contains("/login"));
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    // The page redraws every second: each step is one script, so that it never holds an element being replaced.
    private void click(String selector) {
        await().atMost(Duration.ofSeconds(10)).until(() -> Boolean.TRUE.equals(browser.executeScript(
            "const e = document.querySelector(arguments[0]); if (!e || e.disabled) return false;"
                // Clicked after the script returns: the click opens a confirmation, which would block the script.
                + " setTimeout(() => e.click(), 0); return true",
            selector)));
    }

    private void confirm() {
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
            browser.switchTo().alert().accept();
            return true;
        });
    }

    private String text(String selector) {
        return (String) browser.executeScript(
            "const e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : ''", selector);
    }

    private String state(String listener) {
        @SuppressWarnings("unchecked")
        List<String> states = (List<String>) browser.executeScript("return [...document.querySelectorAll(arguments[0])]"
            + ".map(e => e.getAttribute('data-state'))", "[data-listener='" + listener + "'] [data-state]");
        return states.isEmpty() ? null : states.get(0);
    }

    @Configuration(proxyBeanMethods = false)
    static class Application {

        @Bean
        SecurityFilterChain security(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .formLogin(Customizer.withDefaults()).httpBasic(Customizer.withDefaults()).build();
        }

        @Bean
        InMemoryUserDetailsManager users() {
            return new InMemoryUserDetailsManager(
                User.withUsername("operator").password("{noop}operator-pw").roles("ONS_DELAY_ADMIN").build(),
                User.withUsername("viewer").password("{noop}viewer-pw").roles("VIEWER").build());
        }

        @Bean
        Handlers handlers() {
            return new Handlers();
        }

    }

    static class Handlers {

        final List<String> orders = new CopyOnWriteArrayList<>();

        final AtomicBoolean pushesSucceed = new AtomicBoolean();

        final List<String> pushesHandled = new CopyOnWriteArrayList<>();

        final List<String> later = new CopyOnWriteArrayList<>();

        @OnsListener(id = "lp-orders-listener", producer = "lp-orders", group = "lp-orders-group")
        void order(String payload) {
            orders.add(payload);
        }

        @OnsListener(id = "lp-pushes-listener", producer = "lp-pushes", group = "lp-pushes-group")
        boolean push(String payload, DeliveryContext context) {
            if (pushesSucceed.get()) {
                pushesHandled.add(payload);
                return true;
            }
            return false;
        }

        @OnsListener(id = "lp-later-listener", producer = "lp-later", group = "lp-later-group")
        void later(String payload) {
            later.add(payload);
        }

    }

}
