package io.github.onsdelay.consumer;

import java.util.Collection;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The one place that controls the containers of every {@link OnsListener}: find one by id to start, stop,
 * pause or resume it at run time. The containers start with the application (unless their
 * {@code autoStartup} is off) and stop gracefully before the producers close.
 */
public interface OnsListenerRegistry {

    /** The container of this id, or null when there is none. */
    @Nullable OnsListenerContainer getListenerContainer(String id);

    Set<String> getListenerContainerIds();

    Collection<OnsListenerContainer> getListenerContainers();

}
