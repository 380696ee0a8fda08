package io.github.onsdelay.sample.coupons;

import io.github.onsdelay.consumer.DeliveryContext;
import io.github.onsdelay.consumer.OnsListener;
import io.github.onsdelay.sample.Timeline;
import org.springframework.stereotype.Component;

/** A listener written in Java: closes the template when its end time has come. */
@Component
public class CouponTemplateCloseListener {

    private final CouponTemplates templates;

    private final Timeline timeline;

    public CouponTemplateCloseListener(CouponTemplates templates, Timeline timeline) {
        this.templates = templates;
        this.timeline = timeline;
    }

    @OnsListener(producer = "coupon-close", group = "coupon-service")
    public void close(CloseCouponTemplate command, DeliveryContext context) {
        templates.close(command.templateId());
        timeline.handled("coupon-expiry", command.templateId(), "closed", context.attempt(), context.dueAt(), null);
    }

}
