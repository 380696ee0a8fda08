package io.github.onsdelay.sample.coupons;

import io.github.onsdelay.producer.AbstractProducer;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.SendResult;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Component;

/** A producer written in Java: closes a coupon template exactly at its end time. */
@Component
@ConfigurationProperties("mqs.ons.producers.coupon-close")
public class CouponCloseProducer extends AbstractProducer {

    public SendResult closeAtEnd(CouponTemplate template) {
        return send(DelayMessage.of(new CloseCouponTemplate(template.id())).withKey(template.id())
            .withDeliverAt(template.endsAt()));
    }

}
