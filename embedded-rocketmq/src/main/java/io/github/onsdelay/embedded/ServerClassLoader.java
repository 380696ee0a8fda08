package io.github.onsdelay.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Loads one server's RocketMQ classes apart from the application: its parent is the platform class
 * loader, so neither the application's rocketmq-client-java (with its own {@code apache.rocketmq.v2}
 * classes) nor the application's Netty or gRPC versions are ever seen by the server, and each server
 * gets its own copy of RocketMQ's static state.
 */
final class ServerClassLoader extends URLClassLoader {

    static final String BOOTSTRAP_PACKAGE = "io.github.onsdelay.embedded.server.";

    /** The one bootstrap type both sides share: loaded by the application's loader, implemented inside. */
    static final String CONTROL_INTERFACE = BOOTSTRAP_PACKAGE + "ServerControl";

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader bootstrapSource;

    ServerClassLoader(URL configDir, List<URL> jars, ClassLoader bootstrapSource) {
        super("ons-delay-rocketmq-server", urls(configDir, jars), ClassLoader.getPlatformClassLoader());
        this.bootstrapSource = bootstrapSource;
    }

    private static URL[] urls(URL configDir, List<URL> jars) {
        URL[] urls = new URL[jars.size() + 1];
        urls[0] = configDir;
        for (int i = 0; i < jars.size(); i++) {
            urls[i + 1] = jars.get(i);
        }
        return urls;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.equals(CONTROL_INTERFACE)) {
            return bootstrapSource.loadClass(name);
        }
        if (!name.startsWith(BOOTSTRAP_PACKAGE)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                loaded = defineBootstrapClass(name);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    /** The bootstrap classes sit on the application's classpath but must be linked against the server's jars. */
    private Class<?> defineBootstrapClass(String name) throws ClassNotFoundException {
        String resource = name.replace('.', '/') + ".class";
        try (@Nullable InputStream in = bootstrapSource.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ClassNotFoundException(name);
            }
            byte[] bytes = in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read " + resource, ex);
        }
    }

}
