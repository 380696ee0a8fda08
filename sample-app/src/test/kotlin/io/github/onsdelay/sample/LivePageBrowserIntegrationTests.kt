package io.github.onsdelay.sample

import org.assertj.core.api.Assertions.assertThat
import io.github.onsdelay.test.HeadlessChromium
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.openqa.selenium.OutputType
import org.openqa.selenium.chrome.ChromeDriver
import org.springframework.beans.factory.annotation.Value
import org.springframework.boot.test.context.SpringBootTest
import org.springframework.http.MediaType
import org.springframework.web.client.RestClient
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.time.Duration

/**
 * The live page in a real browser: Debian's headless Chromium, driven through its chromedriver, loads the sample
 * app's page, sees the counts change as the demos play, and saves a screenshot to
 * `target/live-page.png`. Needs the `chromium` and `chromium-driver` packages (see [HeadlessChromium]).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = ["mqs.ons.time-scale=72000", "demo.autoplay=false", "mqs.ons.producers.order-cancel.initial-delay=5d"],
)
class LivePageBrowserIntegrationTests(@param:Value("\${local.server.port}") val port: Int) {

    private val http = RestClient.create("http://127.0.0.1:$port")

    private lateinit var browser: ChromeDriver

    @BeforeEach
    fun openBrowser() {
        browser = HeadlessChromium.start()
    }

    @AfterEach
    fun closeBrowser() {
        if (::browser.isInitialized) {
            browser.quit()
        }
    }

    @Test
    fun `the page shows counts change as the demos play, and a screenshot is saved`() {
        browser.get("http://127.0.0.1:$port/ons-delay")
        await().atMost(Duration.ofSeconds(15)).until { text("#updated").startsWith("live") }
        assertThat(figure("report-push", "succeeded")).isEqualTo("0")
        assertThat(figure("report-push", "retried")).isEqualTo("0")
        assertThat(producerFigure("clean-report-push", "sent")).isEqualTo("0")
        assertThat(attributes("[data-listener]", "data-listener"))
            .containsExactlyInAnyOrder("coupon-service", "order-service", "report-push")

        post("/reports/report-ok/push?partnerFailures=2")
        post("/reports/report-lost/push?partnerFailures=99")
        post("/coupons/templates", mapOf("name" to "spring sale", "endsIn" to "PT24H"))
        val paid = post("/orders", mapOf("amount" to 90))["id"] as String
        post("/orders/$paid/pay")
        post("/orders", mapOf("amount" to 250))

        // The page polls every second: the counts it shows follow the demos as they play.
        await().atMost(Duration.ofSeconds(20)).until { producerFigure("clean-report-push", "sent") == "2" }
        await().atMost(Duration.ofSeconds(60)).until {
            figure("report-push", "succeeded") == "1" && figure("report-push", "exhausted") == "1" &&
                figure("coupon-service", "succeeded") == "1" && figure("order-service", "succeeded") == "2"
        }
        assertThat(figure("report-push", "retried")).isEqualTo("6")
        assertThat(state("report-push")).isEqualTo("RUNNING")
        assertThat(attributes("#events tbody tr[data-event]", "data-event")).contains("RETRY", "EXHAUSTED")
        assertThat(text("#events tbody")).contains("report-lost")
        assertThat(attributes("[data-listener='report-push'] rect[data-count]", "data-count").sumOf { it!!.toInt() }).`as`("handler runs: 3 of report-ok, 5 of report-lost").isEqualTo(8)
        assertThat(attributes("#timeline circle", "r")).hasSizeGreaterThanOrEqualTo(7)

        val screenshot = browser.getScreenshotAs(OutputType.FILE)
        val saved = Path.of("target", "live-page.png")
        Files.copy(screenshot.toPath(), saved, StandardCopyOption.REPLACE_EXISTING)
        assertThat(Files.size(saved)).isGreaterThan(10_000)
        println("Live page screenshot: ${saved.toAbsolutePath()}")
    }

    // The page redraws every second: each read is one script, so that it never holds an element being replaced.
    private fun text(selector: String): String =
        browser.executeScript("const e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : ''",
            selector) as String

    @Suppress("UNCHECKED_CAST")
    private fun attributes(selector: String, attribute: String): List<String?> =
        browser.executeScript("return [...document.querySelectorAll(arguments[0])].map(e => e.getAttribute(arguments[1]))",
            selector, attribute) as List<String?>

    private fun figure(listener: String, name: String): String =
        text("[data-listener='$listener'] [data-figure='$name']")

    private fun producerFigure(producer: String, name: String): String =
        text("[data-producer='$producer'] [data-figure='$name']")

    private fun state(listener: String): String? =
        attributes("[data-listener='$listener'] [data-state]", "data-state").firstOrNull()

    @Suppress("UNCHECKED_CAST")
    private fun post(path: String, body: Any? = null): Map<String, Any?> =
        http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body ?: emptyMap<String, Any>())
            .retrieve().body(Map::class.java) as Map<String, Any?>
}
