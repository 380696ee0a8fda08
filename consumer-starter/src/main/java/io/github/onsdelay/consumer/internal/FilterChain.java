package io.github.onsdelay.consumer.internal;

import java.util.List;

import io.github.onsdelay.consumer.DeliveryContext;
import io.github.onsdelay.consumer.OnsDeliveryFilter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The filters of one container, run in order just before a handler would run or a hop would be sent on; the
 * first that skips the delivery decides, and the skip is counted under its name. A filter that throws is not a
 * skip: the exception reaches the caller, which gives the delivery back.
 */
final class FilterChain {

    private static final Log LOG = LogFactory.getLog(FilterChain.class);

    private final List<OnsDeliveryFilter> filters;

    private final ContainerCounters counters;

    FilterChain(List<OnsDeliveryFilter> filters, ContainerCounters counters) {
        this.filters = List.copyOf(filters);
        this.counters = counters;
    }

    /** The name of the filter that skips this delivery, or null when every filter lets it through. */
    @Nullable String skippedBy(DeliveryContext delivery) {
        for (OnsDeliveryFilter filter : filters) {
            if (filter.skip(delivery)) {
                String name = filter.name();
                counters.filtered(name);
                if (LOG.isDebugEnabled()) {
                    LOG.debug("Filter '" + name + "' skipped attempt " + delivery.attempt() + " of key "
                        + delivery.businessKey() + " in group '" + delivery.group() + "'; acknowledged without "
                        + "running the handler");
                }
                return name;
            }
        }
        return null;
    }

    int size() {
        return filters.size();
    }

}
