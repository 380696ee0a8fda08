package io.github.onsdelay.sample.coupons;

import java.time.Instant;

/**
 * A coupon template that can be claimed until its end time.
 *
 * @param id template id
 * @param name what the coupon is
 * @param endsAt when claiming stops
 * @param closed whether it was closed
 */
public record CouponTemplate(String id, String name, Instant endsAt, boolean closed) {

    CouponTemplate close() {
        return new CouponTemplate(id, name, endsAt, true);
    }

}
