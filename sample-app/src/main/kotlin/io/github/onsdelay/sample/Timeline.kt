package io.github.onsdelay.sample

import org.springframework.stereotype.Component
import org.springframework.web.bind.annotation.GetMapping
import org.springframework.web.bind.annotation.RestController
import java.time.Duration
import java.time.Instant
import java.util.concurrent.CopyOnWriteArrayList

/** One thing that happened in a demo; `lateMs` (handled minus due) only for what a listener handled. */
data class TimelineEntry(
    val demo: String,
    val key: String,
    val event: String,
    val attempt: Int?,
    val dueAt: Instant?,
    val at: Instant,
    val lateMs: Long?,
    val detail: String?,
)

/** What each demo did, with due and actual times, so a user sees the schedule working. */
@Component
class Timeline {
    private val entries = CopyOnWriteArrayList<TimelineEntry>()

    /** Something the demo's own code did: scheduled, paid, ... */
    fun record(demo: String, key: String, event: String, attempt: Int? = null, dueAt: Instant? = null, detail: String? = null) {
        entries += TimelineEntry(demo, key, event, attempt, dueAt, Instant.now(), null, detail)
    }

    /** Something a listener did with a delivery due at `dueAt`. */
    fun handled(demo: String, key: String, event: String, attempt: Int, dueAt: Instant, detail: String? = null) {
        val now = Instant.now()
        entries += TimelineEntry(demo, key, event, attempt, dueAt, now, Duration.between(dueAt, now).toMillis(), detail)
    }

    fun byDemo(): Map<String, List<TimelineEntry>> = entries.sortedBy { it.at }.groupBy { it.demo }

    fun events(demo: String, key: String): List<String> = entries.filter { it.demo == demo && it.key == key }.map { it.event }
}

@RestController
class TimelineController(private val timeline: Timeline) {
    @GetMapping("/timeline")
    fun timeline(): Map<String, List<TimelineEntry>> = timeline.byDemo()
}
