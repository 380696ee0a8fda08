package io.github.onsdelay.sample.coupons

import io.github.onsdelay.sample.Timeline
import org.springframework.web.bind.annotation.GetMapping
import org.springframework.web.bind.annotation.PathVariable
import org.springframework.web.bind.annotation.PostMapping
import org.springframework.web.bind.annotation.RequestBody
import org.springframework.web.bind.annotation.RestController
import java.time.Duration
import java.time.Instant
import java.util.UUID

/** `endsIn` is how long the template runs (ISO-8601, such as PT24H); `mqs.ons.time-scale` shortens the wait for it. */
data class CreateCouponTemplate(val name: String = "10% off", val endsIn: Duration = Duration.ofHours(24))

@RestController
class CouponController(
    private val templates: CouponTemplates,
    private val producer: CouponCloseProducer,
    private val timeline: Timeline,
) {
    @PostMapping("/coupons/templates")
    fun create(@RequestBody(required = false) request: CreateCouponTemplate?): CouponTemplate {
        val create = request ?: CreateCouponTemplate()
        val template = templates.add(CouponTemplate(UUID.randomUUID().toString().substring(0, 8), create.name,
            Instant.now().plus(create.endsIn), false))
        val sent = producer.closeAtEnd(template)
        timeline.record("coupon-expiry", template.id(), "scheduled close at end time", sent.attempt, sent.dueAt)
        return template
    }

    @GetMapping("/coupons/templates/{id}")
    fun get(@PathVariable id: String): CouponTemplate = templates.get(id)
}
