package io.github.onsdelay.sample.reports

import io.github.onsdelay.consumer.DeliveryContext
import io.github.onsdelay.consumer.Exhaustion
import io.github.onsdelay.consumer.OnsExhausted
import io.github.onsdelay.consumer.OnsListener
import io.github.onsdelay.producer.AbstractProducer
import io.github.onsdelay.producer.DelayMessage
import io.github.onsdelay.producer.SendResult
import io.github.onsdelay.sample.Timeline
import org.springframework.boot.context.properties.ConfigurationProperties
import org.springframework.core.env.Environment
import org.springframework.http.HttpStatus
import org.springframework.http.ResponseEntity
import org.springframework.stereotype.Component
import org.springframework.web.bind.annotation.PathVariable
import org.springframework.web.bind.annotation.PostMapping
import org.springframework.web.bind.annotation.RequestBody
import org.springframework.web.bind.annotation.RequestParam
import org.springframework.web.bind.annotation.RestController
import org.springframework.web.client.RestClient
import org.springframework.web.client.RestClientResponseException
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger

data class CleanReportEvent(val reportId: String, val partner: String, val summary: String)

/** The original's producer, in Kotlin: bound to its own section, with a typed method. */
@Component
@ConfigurationProperties("mqs.ons.producers.clean-report-push")
class CleanReportPushEventProducer : AbstractProducer() {
    fun push(event: CleanReportEvent, attempt: Int = 0): SendResult =
        send(DelayMessage.of(event).withKey(event.reportId).withAttempt(attempt))
}

/** A partner's endpoint inside the app, failing a set number of times per report before it succeeds. */
@RestController
class FakePartnerController {
    private val remainingFailures = ConcurrentHashMap<String, AtomicInteger>()

    fun failNextPushes(reportId: String, times: Int) {
        remainingFailures[reportId] = AtomicInteger(times)
    }

    @PostMapping("/partner/reports")
    fun receive(@RequestBody event: CleanReportEvent): ResponseEntity<String> {
        val failures = remainingFailures[event.reportId]
        return if (failures != null && failures.getAndDecrement() > 0) {
            ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("partner busy")
        } else {
            ResponseEntity.ok("accepted ${event.reportId}")
        }
    }
}

@RestController
class ReportController(
    private val producer: CleanReportPushEventProducer,
    private val partner: FakePartnerController,
    private val timeline: Timeline,
) {
    /** Pushes a report; the fake partner fails `partnerFailures` times first (5 or more: the push is exhausted). */
    @PostMapping("/reports/{id}/push")
    fun push(@PathVariable id: String, @RequestParam(defaultValue = "2") partnerFailures: Int): Map<String, Any?> {
        partner.failNextPushes(id, partnerFailures)
        val sent = producer.push(CleanReportEvent(id, "acme", "cleaning report $id"))
        timeline.record("partner-push", id, "scheduled push", sent.attempt, sent.dueAt, "partner fails $partnerFailures time(s)")
        return mapOf("id" to id, "attempt" to sent.attempt, "dueAt" to sent.dueAt, "messageId" to sent.messageId)
    }
}

@Component
class CleanReportPushListener(
    private val timeline: Timeline,
    private val environment: Environment,
    restClient: RestClient.Builder,
) {
    private val partner = restClient.build()

    /** Returns false when the partner answers failure: the library retries with the next delay. */
    @OnsListener(producer = "clean-report-push", group = "report-push")
    fun push(event: CleanReportEvent, context: DeliveryContext): Boolean {
        val accepted = try {
            // The web server's port is known once it has started, after this bean was created.
            val port = environment.getProperty("local.server.port", "8080")
            partner.post().uri("http://localhost:$port/partner/reports").body(event).retrieve().toBodilessEntity()
            true
        } catch (ex: RestClientResponseException) {
            false
        }
        timeline.handled("partner-push", event.reportId, if (accepted) "pushed" else "partner failed, will retry",
            context.attempt, context.dueAt, "${context.remainingRetries} retries left")
        return accepted
    }

    @OnsExhausted
    fun giveUp(exhaustion: Exhaustion) {
        timeline.handled("partner-push", exhaustion.context.businessKey, "exhausted", exhaustion.context.attempt,
            exhaustion.context.dueAt, exhaustion.lastError.message)
    }
}
