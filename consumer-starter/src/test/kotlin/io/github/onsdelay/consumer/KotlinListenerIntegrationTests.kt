package io.github.onsdelay.consumer

import io.github.onsdelay.embedded.EmbeddedRocketMQ
import io.github.onsdelay.producer.AbstractProducer
import io.github.onsdelay.producer.DelayMessage
import io.github.onsdelay.producer.DelayProducer
import io.github.onsdelay.producer.SendResult
import io.github.onsdelay.test.TestApplication
import io.github.onsdelay.test.Tolerances
import kotlinx.coroutines.delay
import org.assertj.core.api.Assertions.assertThat
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.Test
import org.springframework.beans.factory.annotation.Autowired
import org.springframework.beans.factory.annotation.Qualifier
import org.springframework.boot.context.properties.ConfigurationProperties
import org.springframework.boot.test.context.SpringBootTest
import org.springframework.context.annotation.Bean
import org.springframework.context.annotation.Configuration
import java.time.Duration
import java.time.Instant
import java.util.concurrent.CopyOnWriteArrayList

data class CleanReportEvent(val reportId: String, val partner: String, val lines: List<String> = emptyList())

@ConfigurationProperties("mqs.ons.producers.clean-report-push")
class CleanReportPushEventProducer : AbstractProducer() {
    fun push(event: CleanReportEvent, attempt: Int = 0): SendResult = send(event, attempt)
}

/** The original's consumer, written against this library: the partner answers false until it recovers. */
class CleanReportPushListener {
    val attempts = CopyOnWriteArrayList<Pair<String, Int>>()
    val pushed = CopyOnWriteArrayList<CleanReportEvent>()

    @OnsListener(producer = "clean-report-push", group = "report-push")
    fun push(event: CleanReportEvent, context: DeliveryContext): Boolean {
        attempts += event.reportId to context.attempt
        val partnerUp = event.partner != "down" && context.attempt >= 1
        if (partnerUp) pushed += event
        return partnerUp
    }
}

/** A suspend listener that calls a slow partner without holding a thread while it waits. */
class SuspendingListener {
    data class Call(val key: String, val attempt: Int, val dueAt: Instant, val started: Instant,
                    val threadBefore: String, val threadAfter: String)

    val calls = CopyOnWriteArrayList<Call>()

    @OnsListener(producer = "suspending", group = "suspending-group", concurrency = "1")
    suspend fun handle(key: String, context: DeliveryContext): Boolean {
        val started = Instant.now()
        val before = Thread.currentThread().name
        delay(300)
        calls += Call(key, context.attempt, context.dueAt, started, before, Thread.currentThread().name)
        return when {
            key.startsWith("ok") -> true
            key.startsWith("once") -> context.attempt >= 1
            key.startsWith("throw") -> throw IllegalStateException("partner refused $key")
            else -> false
        }
    }
}

@SpringBootTest(
    classes = [TestApplication::class, KotlinListenerIntegrationTests.Beans::class],
    properties = [
        "mqs.ons.producers.clean-report-push.topic=consumer_kotlin",
        "mqs.ons.producers.clean-report-push.tag=clean",
        "mqs.ons.producers.clean-report-push.delays=1, 1",
        "mqs.ons.producers.suspending.topic=consumer_kotlin",
        "mqs.ons.producers.suspending.tag=suspending",
        "mqs.ons.producers.suspending.delays=1s",
    ],
)
@EmbeddedRocketMQ(topics = ["consumer_kotlin"])
class KotlinListenerIntegrationTests(
    @param:Autowired val producer: CleanReportPushEventProducer,
    @param:Autowired val listener: CleanReportPushListener,
    @param:Autowired val suspending: SuspendingListener,
    @param:Autowired @param:Qualifier("suspending") val suspendingProducer: DelayProducer,
    @param:Autowired val exhausted: MutableList<Exhaustion>,
) {

    @Test
    fun `a kotlin listener that answers false is retried with the next attempt until it succeeds`() {
        producer.push(CleanReportEvent("r-1", "acme", listOf("a", "b")))

        await().atMost(Duration.ofSeconds(20)).until { listener.pushed.any { it.reportId == "r-1" } }
        assertThat(listener.attempts.filter { it.first == "r-1" }.map { it.second }).containsExactly(0, 1)
        assertThat(listener.pushed.single { it.reportId == "r-1" }.lines).containsExactly("a", "b")
    }

    @Test
    fun `when the delays are used up the exhaustion handler bean runs once`() {
        producer.push(CleanReportEvent("r-2", "down"))

        await().atMost(Duration.ofSeconds(20)).until { mine("r-2").isNotEmpty() }
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
            .until { mine("r-2").size == 1 && listener.attempts.count { it.first == "r-2" } == 3 }
        assertThat(mine("r-2").single().reason).isEqualTo(Exhaustion.Reason.RETRIES_EXHAUSTED)
        assertThat(mine("r-2").single().context.attempt).isEqualTo(2)
        assertThat(listener.attempts.filter { it.first == "r-2" }.map { it.second }).containsExactly(0, 1, 2)
    }

    @Test
    fun `a suspend listener succeeds, fails into a retry, and exhausts, like a blocking one`() {
        listOf("ok-1", "once-1", "never-1", "throw-1").forEach {
            suspendingProducer.send(DelayMessage.of(it).withKey(it))
        }

        await().atMost(Duration.ofSeconds(20)).until { mine("never-1").isNotEmpty() && mine("throw-1").isNotEmpty() }
        await().atMost(Duration.ofSeconds(5)).until { suspending.calls.count { it.key == "once-1" } == 2 }
        assertThat(suspending.calls.filter { it.key == "ok-1" }.map { it.attempt }).containsExactly(0)
        assertThat(suspending.calls.filter { it.key == "once-1" }.map { it.attempt }).containsExactly(0, 1)
        assertThat(suspending.calls.filter { it.key == "never-1" }.map { it.attempt }).containsExactly(0, 1)
        assertThat(mine("throw-1").single().lastError).hasMessage("partner refused throw-1")
        assertThat(mine("never-1").single().reason).isEqualTo(Exhaustion.Reason.RETRIES_EXHAUSTED)
        suspending.calls.forEach { assertThat(it.started).isAfterOrEqualTo(it.dueAt) }
    }

    @Test
    fun `a suspend listener that suspends holds no thread`() {
        suspendingProducer.send(DelayMessage.of("ok-thread").withKey("ok-thread"))

        await().atMost(Duration.ofSeconds(20)).until { suspending.calls.any { it.key == "ok-thread" } }
        val call = suspending.calls.single { it.key == "ok-thread" }
        // It started on the container's handler thread and resumed on the coroutine timer's thread: the handler
        // thread was free while it waited.
        assertThat(call.threadBefore).startsWith("ons-delay-suspending-group-")
        assertThat(call.threadAfter).doesNotStartWith("ons-delay-")
        assertThat(Duration.between(call.dueAt, call.started)).isLessThan(Tolerances.HANDLER_LATENESS)
    }

    private fun mine(reportId: String) = exhausted.filter {
        when (val payload = it.payload) {
            is CleanReportEvent -> payload.reportId == reportId
            else -> payload == reportId
        }
    }

    @Configuration(proxyBeanMethods = false)
    class Beans {
        @Bean
        fun cleanReportPushEventProducer() = CleanReportPushEventProducer()

        @Bean
        fun cleanReportPushListener() = CleanReportPushListener()

        @Bean
        fun suspendingListener() = SuspendingListener()

        @Bean
        fun exhausted(): MutableList<Exhaustion> = CopyOnWriteArrayList()

        @Bean
        fun exhaustionHandler(exhausted: MutableList<Exhaustion>) = ExhaustionHandler { exhausted += it }
    }
}
