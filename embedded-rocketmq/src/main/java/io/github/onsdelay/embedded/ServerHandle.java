package io.github.onsdelay.embedded;

import java.time.Duration;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.github.onsdelay.embedded.server.ServerControl;

/**
 * One running server inside its {@link ServerClassLoader}, driven through {@link ServerControl}, which takes
 * and returns JDK types only. Every call runs with the server's class loader as context class loader.
 */
final class ServerHandle {

    private static final String BOOTSTRAP = ServerClassLoader.BOOTSTRAP_PACKAGE + "RocketMQServerBootstrap";

    private final ServerClassLoader loader;

    private final ServerControl control;

    private ServerHandle(ServerClassLoader loader, ServerControl control) {
        this.loader = loader;
        this.control = control;
    }

    static ServerHandle start(ServerClassLoader loader, Map<String, String> settings) {
        ServerControl control = call(loader, () -> (ServerControl) loader.loadClass(BOOTSTRAP)
            .getConstructor(Map.class).newInstance(settings));
        ServerHandle handle = new ServerHandle(loader, control);
        try {
            handle.call(() -> {
                control.start();
                return null;
            });
        }
        catch (RuntimeException ex) {
            handle.shutdown();
            throw ex;
        }
        return handle;
    }

    String version() {
        return call(control::version);
    }

    List<String> unknownStopWaitPlaces() {
        return call(control::unknownStopWaitPlaces);
    }

    String namesrvAddress() {
        return call(control::namesrvAddress);
    }

    void createTopic(String topic, TopicMessageType type) {
        call(() -> {
            control.createTopic(topic, type.name());
            return null;
        });
    }

    void createGroup(String group, boolean fifo, int retryMaxTimes) {
        call(() -> {
            control.createGroup(group, fifo, retryMaxTimes);
            return null;
        });
    }

    void maxDelay(Duration maxDelay) {
        call(() -> {
            control.maxDelay(maxDelay.toMillis());
            return null;
        });
    }

    long storedMessages(String topic) {
        return call(() -> control.storedMessages(topic));
    }

    int brokersServing(String topic) {
        return call(() -> control.brokersServing(topic));
    }

    String topicMessageType(String topic) {
        return call(() -> control.topicMessageType(topic));
    }

    String sendWithRemotingClient(String topic, String tag, String keys, byte[] body, Map<String, String> properties,
            Map<String, Long> timer) {
        return call(() -> control.sendWithRemotingClient(topic, tag, keys, body, properties, timer));
    }

    /**
     * Stops the server. Its class loader is left open: the proxy's gRPC threads finish asynchronously and
     * may still load classes; the loader is collected once they are gone.
     */
    void shutdown() {
        call(() -> {
            control.shutdown();
            return null;
        });
    }

    private <T> T call(Callable<T> call) {
        return call(loader, call);
    }

    private static <T> T call(ClassLoader loader, Callable<T> call) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // RocketMQ looks up its service implementations through the context class loader.
        thread.setContextClassLoader(loader);
        try {
            return call.call();
        }
        catch (InvocationTargetException ex) {
            throw new EmbeddedRocketMQException("Embedded RocketMQ failed: " + ex.getCause(), ex.getCause());
        }
        catch (ReflectiveOperationException | LinkageError | ClassCastException ex) {
            throw new EmbeddedRocketMQException("Embedded RocketMQ server bundle does not match this library", ex);
        }
        catch (Exception ex) {
            throw new EmbeddedRocketMQException("Embedded RocketMQ failed: " + ex, ex);
        }
        finally {
            thread.setContextClassLoader(previous);
        }
    }

}
