package io.github.onsdelay.consumer;

import java.util.List;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.jspecify.annotations.Nullable;

/**
 * The W3C {@code traceparent} header for Micrometer's test tracer, which has no propagation of its own: what
 * Brave or OpenTelemetry write into a message's properties in an application.
 */
final class TraceparentPropagator implements Propagator {

    static final String TRACEPARENT = "traceparent";

    private final Tracer tracer;

    TraceparentPropagator(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public List<String> fields() {
        return List.of(TRACEPARENT);
    }

    @Override
    public <C> void inject(TraceContext context, @Nullable C carrier, Setter<C> setter) {
        setter.set(carrier, TRACEPARENT, "00-" + context.traceId() + "-" + context.spanId() + "-01");
    }

    @Override
    public <C> Span.Builder extract(C carrier, Getter<C> getter) {
        String value = getter.get(carrier, TRACEPARENT);
        if (value == null) {
            return tracer.spanBuilder();
        }
        String[] parts = value.split("-");
        TraceContext parent = tracer.traceContextBuilder().traceId(parts[1]).spanId(parts[2]).sampled(true).build();
        return tracer.spanBuilder().setParent(parent);
    }

}
