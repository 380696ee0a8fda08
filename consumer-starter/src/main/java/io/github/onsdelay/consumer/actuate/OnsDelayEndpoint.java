package io.github.onsdelay.consumer.actuate;

import java.util.Locale;

import io.github.onsdelay.consumer.OnsListenerContainer;
import io.github.onsdelay.consumer.OnsListenerRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code onsdelay} Actuator endpoint: reads the {@link OnsDelayReport} (producers, listeners, recent retries
 * and exhaustions) and one listener by id, and controls a listener:
 * {@code POST /actuator/onsdelay/{id}} with {@code {"action": "pause" | "resume" | "stop" | "start"}}. Like every
 * Actuator endpoint, it is reachable over the web only once exposed
 * ({@code management.endpoints.web.exposure.include=onsdelay}).
 */
@Endpoint(id = "onsdelay")
public class OnsDelayEndpoint {

    private final OnsDelayReporter reporter;

    private final OnsListenerRegistry listeners;

    public OnsDelayEndpoint(OnsDelayReporter reporter, OnsListenerRegistry listeners) {
        this.reporter = reporter;
        this.listeners = listeners;
    }

    @ReadOperation
    public OnsDelayReport report() {
        return reporter.report();
    }

    @ReadOperation
    public OnsDelayReport.@Nullable Listener listener(@Selector String id) {
        OnsListenerContainer container = listeners.getListenerContainer(id);
        return container == null ? null : OnsDelayReporter.listener(container);
    }

    /** Pauses, resumes, stops or starts a listener; answers its state afterwards, or 404 for an unknown id. */
    @WriteOperation
    public OnsDelayReport.@Nullable Listener control(@Selector String id, String action) {
        OnsListenerContainer container = listeners.getListenerContainer(id);
        if (container == null) {
            return null;
        }
        switch (action.toLowerCase(Locale.ROOT)) {
            case "pause" -> container.pause();
            case "resume" -> container.resume();
            case "stop" -> container.stop();
            case "start" -> container.start();
            default -> throw new InvalidEndpointRequestException("Unknown action '" + action + "' for listener '" + id
                + "': use pause, resume, stop or start", "Unknown action");
        }
        return OnsDelayReporter.listener(container);
    }

}
