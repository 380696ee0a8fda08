package io.github.onsdelay.consumer.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import io.github.onsdelay.consumer.OnsListenerContainer;
import io.github.onsdelay.consumer.OnsListenerRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Owns every listener container, the {@link DueTimer} they share and the thread that renews what they hold:
 * starts the containers whose {@code autoStartup} is on once the context is refreshed, and stops them all at
 * once, gracefully, before the producers close.
 */
public final class ListenerContainerRegistry implements OnsListenerRegistry, SmartLifecycle, DisposableBean {

    private final Map<String, ListenerContainer> containers = new LinkedHashMap<>();

    private final DueTimer timer;

    private final ScheduledThreadPoolExecutor housekeeping;

    private final List<java.util.function.Consumer<ListenerContainer>> registrationListeners =
        new java.util.concurrent.CopyOnWriteArrayList<>();

    private volatile boolean running;

    public ListenerContainerRegistry(Clock clock) {
        this.timer = new DueTimer(clock);
        this.housekeeping = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "ons-delay-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        this.housekeeping.setRemoveOnCancelPolicy(true);
    }

    DueTimer timer() {
        return timer;
    }

    ScheduledExecutorService housekeeping() {
        return housekeeping;
    }

    /** Tells {@code listener} of every container, those registered already and those registered later. */
    synchronized void onRegistered(java.util.function.Consumer<ListenerContainer> listener) {
        registrationListeners.add(listener);
        containers.values().forEach(listener);
    }

    synchronized void register(ListenerContainer container) {
        if (containers.putIfAbsent(container.getId(), container) != null) {
            throw new IllegalStateException("A listener container with id '" + container.getId() + "' exists");
        }
        registrationListeners.forEach(listener -> listener.accept(container));
        if (running && container.isAutoStartup()) {
            container.start();
        }
    }

    @Override
    public synchronized @Nullable OnsListenerContainer getListenerContainer(String id) {
        return containers.get(id);
    }

    @Override
    public synchronized Set<String> getListenerContainerIds() {
        return Set.copyOf(containers.keySet());
    }

    @Override
    public synchronized Collection<OnsListenerContainer> getListenerContainers() {
        return List.copyOf(containers.values());
    }

    @Override
    public void start() {
        List<ListenerContainer> starting;
        synchronized (this) {
            running = true;
            starting = new ArrayList<>(containers.values());
        }
        for (ListenerContainer container : starting) {
            if (container.isAutoStartup()) {
                container.start();
            }
        }
    }

    @Override
    public void stop() {
        List<ListenerContainer> stopping;
        synchronized (this) {
            running = false;
            stopping = new ArrayList<>(containers.values());
        }
        long now = System.nanoTime();
        // All at once: each waits for its handlers and its receives in flight, within its own shutdown timeout.
        ExecutorService executor = Executors.newCachedThreadPool();
        try {
            CompletableFuture.allOf(stopping.stream()
                .map(container -> CompletableFuture.runAsync(
                    () -> container.stop(now + container.settings().shutdownTimeout().toNanos()), executor))
                .toArray(CompletableFuture[]::new)).join();
        }
        finally {
            executor.shutdown();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public void destroy() {
        List<ListenerContainer> all;
        synchronized (this) {
            all = new ArrayList<>(containers.values());
        }
        all.forEach(ListenerContainer::destroy);
        timer.close();
        housekeeping.shutdownNow();
    }

}
