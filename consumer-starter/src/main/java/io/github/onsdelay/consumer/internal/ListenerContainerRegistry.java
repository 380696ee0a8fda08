package io.github.onsdelay.consumer.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the listeners' consumers once the context is refreshed, and stops them gracefully before the
 * producer closes: no new deliveries, those in progress finish within the shutdown timeout, then the
 * consumers close, all groups at once.
 */
public class ListenerContainerRegistry implements SmartLifecycle {

    private final List<ListenerContainer> containers = new CopyOnWriteArrayList<>();

    private final Duration shutdownTimeout;

    private volatile boolean running;

    public ListenerContainerRegistry(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    void register(ListenerContainer container) {
        containers.add(container);
        if (running) {
            container.start();
        }
    }

    public List<ListenerContainer> containers() {
        return List.copyOf(containers);
    }

    @Override
    public void start() {
        running = true;
        containers.forEach(ListenerContainer::start);
    }

    @Override
    public void stop() {
        running = false;
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        // One thread per group: each close waits for the consumer's open receive requests.
        ExecutorService executor = Executors.newCachedThreadPool();
        try {
            CompletableFuture.allOf(containers.stream()
                .map(container -> CompletableFuture.runAsync(() -> {
                    container.quiesce(deadline);
                    container.close();
                }, executor))
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

}
