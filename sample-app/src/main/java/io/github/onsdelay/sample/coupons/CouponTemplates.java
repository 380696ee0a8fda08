package io.github.onsdelay.sample.coupons;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/** The coupon templates of the demo, in memory. */
@Component
public class CouponTemplates {

    private final Map<String, CouponTemplate> templates = new ConcurrentHashMap<>();

    public CouponTemplate add(CouponTemplate template) {
        templates.put(template.id(), template);
        return template;
    }

    public CouponTemplate get(String id) {
        CouponTemplate template = templates.get(id);
        if (template == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no coupon template " + id);
        }
        return template;
    }

    void close(String id) {
        templates.computeIfPresent(id, (key, template) -> template.close());
    }

}
