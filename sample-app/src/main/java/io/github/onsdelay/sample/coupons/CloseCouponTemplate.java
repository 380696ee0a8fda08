package io.github.onsdelay.sample.coupons;

/**
 * The message: close this template.
 *
 * @param templateId the template to close
 */
public record CloseCouponTemplate(String templateId) {
}
