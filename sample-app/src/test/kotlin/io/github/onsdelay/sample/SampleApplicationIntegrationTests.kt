package io.github.onsdelay.sample

import io.github.onsdelay.core.TimedMessageSender
import io.github.onsdelay.core.autoconfigure.OnsConnectionDetails
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker
import io.github.onsdelay.embedded.TopicMessageType
import io.github.onsdelay.test.Tolerances
import org.assertj.core.api.Assertions.assertThat
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.springframework.beans.factory.annotation.Autowired
import org.springframework.beans.factory.annotation.Value
import org.springframework.boot.test.context.SpringBootTest
import org.springframework.core.ParameterizedTypeReference
import org.springframework.http.MediaType
import org.springframework.web.client.RestClient
import org.springframework.web.client.body
import java.time.Duration
import java.time.Instant

/** Boots the app on its embedded broker, every delay divided by 72000 (1 day = 1.2 s), and drives it over HTTP. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = [
        "mqs.ons.time-scale=72000",
        "demo.autoplay=false",
        // 30 min would be 25 ms: too short to pay over HTTP first. 5 days are 6 s, plenty on a loaded machine.
        "mqs.ons.producers.order-cancel.initial-delay=5d",
    ],
)
class SampleApplicationIntegrationTests(
    @param:Autowired val broker: EmbeddedRocketMQBroker,
    @param:Autowired val connection: OnsConnectionDetails,
    @param:Autowired val sender: TimedMessageSender,
    @param:Value("\${local.server.port}") val port: Int,
) {
    private val http = RestClient.create("http://localhost:$port")

    private val topics = listOf("order_cancel", "report_push", "coupon_close")

    /**
     * The demos start once the app's client has its topics' routes: a fresh client's first calls to a server that
     * has just started in the same JVM outlasted the 3 s send timeout here with the rest of the build running
     * beside it (the route fetch at start-up then gives up, and the first demo's send failed the same way).
     */
    @BeforeEach
    fun routesFetched() {
        await().atMost(Duration.ofSeconds(60))
            .until { sender.fetchRoutes(topics, Duration.ofSeconds(5))?.containsAll(topics) == true }
    }

    private fun post(path: String, body: Any? = null): Map<String, Any?> =
        http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body ?: emptyMap<String, Any>())
            .retrieve().body<Map<String, Any?>>()!!

    private fun get(path: String): Map<String, Any?> = http.get().uri(path).retrieve().body<Map<String, Any?>>()!!

    private fun timeline(): Map<String, List<Map<String, Any?>>> =
        http.get().uri("/timeline").retrieve().body(object : ParameterizedTypeReference<Map<String, List<Map<String, Any?>>>>() {})!!

    private fun events(demo: String, key: String) =
        timeline()[demo].orEmpty().filter { it["key"] == key }.map { it["event"] as String }

    @Test
    fun `runs on its embedded broker with the demo topics`() {
        assertThat(connection.endpoints).containsExactly(broker.endpoints())
        assertThat(connection.timerPrecision).isEqualTo(broker.timerPrecision())
        listOf("order_cancel", "report_push", "coupon_close").forEach {
            assertThat(broker.topicMessageType(it)).isEqualTo(TopicMessageType.DELAY)
        }
    }

    @Test
    fun `demo 1 cancels only the unpaid order`() {
        val unpaid = post("/orders", mapOf("amount" to 250))["id"] as String
        val paid = post("/orders", mapOf("amount" to 90))["id"] as String
        assertThat(post("/orders/$paid/pay")["status"]).isEqualTo("PAID")

        await().atMost(Duration.ofSeconds(30)).until { get("/orders/$unpaid")["status"] == "CANCELLED" }
        await().atMost(Duration.ofSeconds(20)).until { events("unpaid-order", paid).contains("left alone (paid)") }
        assertThat(get("/orders/$paid")["status"]).isEqualTo("PAID")
        assertThat(events("unpaid-order", unpaid)).containsExactly("scheduled cancellation", "cancelled (unpaid)")
    }

    @Test
    fun `demo 2 pushes after two partner failures, and exhausts when the partner never recovers`() {
        post("/reports/report-ok/push?partnerFailures=2")
        post("/reports/report-lost/push?partnerFailures=99")

        await().atMost(Duration.ofSeconds(40)).until { events("partner-push", "report-lost").contains("exhausted") }
        assertThat(events("partner-push", "report-ok")).containsExactly("scheduled push",
            "partner failed, will retry", "partner failed, will retry", "pushed")
        assertThat(events("partner-push", "report-lost")).containsExactly("scheduled push",
            "partner failed, will retry", "partner failed, will retry", "partner failed, will retry",
            "partner failed, will retry", "partner failed, will retry", "exhausted")
        val attempts = timeline()["partner-push"]!!.filter { it["key"] == "report-lost" && it["event"] != "scheduled push" }
            .map { (it["attempt"] as Number).toInt() }
        assertThat(attempts).containsExactly(0, 1, 2, 3, 4, 4)
        val handled = timeline()["partner-push"]!!.filter { it["event"] == "pushed" || it["event"] == "partner failed, will retry" }
        assertThat(handled).allSatisfy { assertThat((it["lateMs"] as Number).toLong()).isGreaterThanOrEqualTo(0) }
    }

    @Test
    fun `demo 3 closes the coupon template at its end time`() {
        val created = Instant.now()
        val template = post("/coupons/templates", mapOf("name" to "spring sale", "endsIn" to "PT24H"))
        val id = template["id"] as String
        // The template ends in 24 hours; the time scale (72,000) makes its close due 1.2 s after it was created.
        assertThat(Duration.between(created, Instant.parse(template["endsAt"] as String)))
            .isBetween(Duration.ofHours(24), Duration.ofHours(24).plusSeconds(5))
        val scheduled = timeline()["coupon-expiry"]!!.single { it["key"] == id && it["event"] == "scheduled close at end time" }
        val dueAt = Instant.parse(scheduled["dueAt"] as String)
        assertThat(Duration.between(created, dueAt)).isBetween(Duration.ofMillis(1_100), Duration.ofMillis(1_300))

        await().atMost(Duration.ofSeconds(20)).until { get("/coupons/templates/$id")["closed"] == true }
        val closed = timeline()["coupon-expiry"]!!.single { it["key"] == id && it["event"] == "closed" }
        assertThat(Instant.parse(closed["at"] as String)).isAfterOrEqualTo(dueAt)
        assertThat((closed["lateMs"] as Number).toLong()).isBetween(0, Tolerances.HANDLER_LATENESS.toMillis())
    }
}
