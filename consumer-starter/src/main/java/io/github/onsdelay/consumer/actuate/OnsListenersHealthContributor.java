package io.github.onsdelay.consumer.actuate;

import java.util.stream.Stream;

import io.github.onsdelay.consumer.OnsListenerContainer;
import io.github.onsdelay.consumer.OnsListenerRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of every listener container, one entry per id: running or paused is UP, failing to receive is
 * DOWN (with the state in the details), stopped is UNKNOWN (stopped on purpose: it does not pull the
 * application's health down).
 */
public class OnsListenersHealthContributor implements CompositeHealthContributor {

    private final OnsListenerRegistry listeners;

    public OnsListenersHealthContributor(OnsListenerRegistry listeners) {
        this.listeners = listeners;
    }

    @Override
    public @Nullable HealthContributor getContributor(String name) {
        OnsListenerContainer container = listeners.getListenerContainer(name);
        return container == null ? null : indicator(container);
    }

    @Override
    public Stream<HealthContributors.Entry> stream() {
        return listeners.getListenerContainers().stream()
            .map(container -> new HealthContributors.Entry(container.getId(), indicator(container)));
    }

    static HealthIndicator indicator(OnsListenerContainer container) {
        return () -> {
            OnsListenerContainer.State state = container.getState();
            Status status = switch (state) {
                case RUNNING, PAUSED -> Status.UP;
                case FAILING -> Status.DOWN;
                case STOPPED -> Status.UNKNOWN;
            };
            return Health.status(status).withDetail("state", state.name()).withDetail("group", container.getGroup())
                .withDetail("held", container.getFigures().held()).withDetail("inFlight", container.getFigures().inFlight())
                .build();
        };
    }

}
