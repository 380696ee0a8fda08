package io.github.onsdelay.embedded;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * One running server inside its {@link ServerClassLoader}, driven through the bootstrap's methods,
 * which take and return JDK types only.
 */
final class ServerHandle {

    private static final String BOOTSTRAP = ServerClassLoader.BOOTSTRAP_PACKAGE + "RocketMQServerBootstrap";

    private final ServerClassLoader loader;

    private final Object bootstrap;

    private ServerHandle(ServerClassLoader loader, Object bootstrap) {
        this.loader = loader;
        this.bootstrap = bootstrap;
    }

    static ServerHandle start(ServerClassLoader loader, Map<String, String> settings) {
        Object bootstrap = withContextLoader(loader, () -> loader.loadClass(BOOTSTRAP)
            .getConstructor(Map.class).newInstance(settings));
        ServerHandle handle = new ServerHandle(loader, bootstrap);
        try {
            handle.invoke("start");
        }
        catch (RuntimeException ex) {
            handle.shutdown();
            throw ex;
        }
        return handle;
    }

    String namesrvAddress() {
        return (String) invoke("namesrvAddress");
    }

    void createTopic(String topic, TopicMessageType type) {
        invoke("createTopic", topic, type.name());
    }

    void createGroup(String group, boolean fifo) {
        invoke("createGroup", group, fifo);
    }

    String topicMessageType(String topic) {
        return (String) invoke("topicMessageType", topic);
    }

    /**
     * Stops the server. Its class loader is left open: the proxy's gRPC threads finish asynchronously and
     * may still load classes; the loader is collected once they are gone.
     */
    void shutdown() {
        invoke("shutdown");
    }

    private Object invoke(String name, Object... args) {
        return withContextLoader(loader, () -> {
            for (Method method : bootstrap.getClass().getMethods()) {
                if (method.getName().equals(name) && method.getParameterCount() == args.length) {
                    return method.invoke(bootstrap, args);
                }
            }
            throw new NoSuchMethodException(BOOTSTRAP + "." + name);
        });
    }

    private interface Call {
        Object run() throws ReflectiveOperationException;
    }

    private static Object withContextLoader(ClassLoader loader, Call call) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // RocketMQ looks up its service implementations through the context class loader.
        thread.setContextClassLoader(loader);
        try {
            return call.run();
        }
        catch (InvocationTargetException ex) {
            Throwable cause = ex.getCause();
            throw new EmbeddedRocketMQException("Embedded RocketMQ failed: " + cause, cause);
        }
        catch (ReflectiveOperationException ex) {
            throw new EmbeddedRocketMQException("Embedded RocketMQ server bundle does not match this library", ex);
        }
        finally {
            thread.setContextClassLoader(previous);
        }
    }

}
