package io.github.onsdelay.sample

import io.github.onsdelay.sample.coupons.CouponController
import io.github.onsdelay.sample.coupons.CreateCouponTemplate
import io.github.onsdelay.sample.orders.OrderController
import io.github.onsdelay.sample.orders.PlaceOrder
import io.github.onsdelay.sample.reports.ReportController
import org.apache.commons.logging.LogFactory
import org.springframework.boot.ApplicationArguments
import org.springframework.boot.ApplicationRunner
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty
import org.springframework.core.env.Environment
import org.springframework.stereotype.Component
import java.time.Duration

/** Plays each demo once at start-up, so the timeline has something to show within a minute. */
@Component
@ConditionalOnProperty("demo.autoplay", havingValue = "true")
class DemoAutoplay(
    private val orders: OrderController,
    private val reports: ReportController,
    private val coupons: CouponController,
    private val environment: Environment,
) : ApplicationRunner {

    override fun run(args: ApplicationArguments) {
        val unpaid = orders.place(PlaceOrder(250))
        val paid = orders.place(PlaceOrder(90))
        orders.pay(paid["id"] as String)
        reports.push("report-ok", partnerFailures = 2)
        reports.push("report-lost", partnerFailures = 99)
        coupons.create(CreateCouponTemplate("spring sale", Duration.ofDays(1)))
        val port = environment.getProperty("local.server.port", "8080")
        LOG.info(
            "Demos started: order ${unpaid["id"]} (unpaid, cancelled after 30 min), order ${paid["id"]} (paid), " +
                "report-ok (partner fails twice), report-lost (partner always fails), a coupon ending in 1 day; " +
                "every delay divided by mqs.ons.time-scale. Watch http://localhost:$port/ons-delay (live page) and /timeline",
        )
    }

    companion object {
        private val LOG = LogFactory.getLog(DemoAutoplay::class.java)
    }
}
