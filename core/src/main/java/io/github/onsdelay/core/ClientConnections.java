package io.github.onsdelay.core;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReadWriteLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.rocketmq.client.apis.producer.Producer;

/**
 * Makes a RocketMQ client reconnect at its next call after a server outage, instead of when gRPC's back-off says.
 *
 * <p>rocketmq-client-java keeps one gRPC channel per endpoint; once the server is unreachable, the channel tries
 * again after 1 s, 2.6 s, 5.2 s, 9.3 s, 15.8 s, 26 s... (±20 %, up to 120 s), and until then fails every call at
 * once. After an outage of 10-30 s a client may so wait up to 17 s more before it even tries, whatever its
 * callers do: the 3.5 s and 14.5 s seen after two restarts of the same broker. The client offers no setting for
 * it. The starters call {@link #reconnectNow} after a call failed, which ends the back-off of the client's
 * channels (gRPC's {@code ManagedChannel.resetConnectBackoff()}), so that the next call connects at once.
 *
 * <p>It also bounds a client's close: rocketmq-client-java waits without limit for its channels to terminate,
 * which a call left open at the server never lets happen (seen right after an outage). {@link #closeWithin}
 * closes gracefully, and after the timeout ends the channels' calls ({@code shutdownNow()}), so that an
 * application's stop never hangs on its client.
 *
 * <p>The channels are reached by reflection, along rocketmq-client-java 5.2.0's own fields; on a client of
 * another shape nothing is done, and that is logged once.
 */
public final class ClientConnections {

    private static final Log LOG = LogFactory.getLog(ClientConnections.class);

    private static final AtomicBoolean UNSUPPORTED_LOGGED = new AtomicBoolean();

    private ClientConnections() {
    }

    /**
     * Ends the reconnect back-off of every channel of a producer or consumer built by rocketmq-client-java.
     *
     * @return whether the client's channels could be reached
     */
    public static boolean reconnectNow(Object client) {
        return eachChannel(client, "resetConnectBackoff");
    }

    /** The producer the starters use: its {@code close()} ends within {@code closeTimeout} and a little more. */
    public static Producer boundedClose(Producer producer, Duration closeTimeout) {
        return new BoundedCloseProducer(producer, closeTimeout);
    }

    /**
     * Closes a client gracefully; if it has not closed within {@code timeout}, ends its channels' calls so that it
     * can, and waits 2 s more. A close that still does not end is left to the JVM's exit, and logged.
     */
    public static void closeWithin(AutoCloseable client, Duration timeout, String what) {
        Thread closer = new Thread(() -> {
            try {
                client.close();
            }
            catch (Exception ex) {
                LOG.warn("Closing " + what + " failed", ex);
            }
        }, "ons-delay-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(timeout.toMillis());
            if (closer.isAlive()) {
                LOG.warn("Closing " + what + " did not end within " + timeout.toMillis() + " ms (a call is still "
                    + "open at the server); ending its calls");
                eachChannel(client, "shutdownNow");
                closer.join(2_000);
                if (closer.isAlive()) {
                    LOG.warn("Closing " + what + " still did not end; leaving it to the JVM's exit");
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean eachChannel(Object client, String operation) {
        if (client instanceof BoundedCloseProducer bounded) {
            client = bounded.delegate;
        }
        try {
            Object manager = field(client.getClass(), "clientManager").get(client);
            Map<?, ?> table = (Map<?, ?>) field(manager.getClass(), "rpcClientTable").get(manager);
            ReadWriteLock lock = (ReadWriteLock) field(manager.getClass(), "rpcClientTableLock").get(manager);
            List<Object> rpcClients;
            lock.readLock().lock();
            try {
                rpcClients = new ArrayList<>(table.values());
            }
            finally {
                lock.readLock().unlock();
            }
            for (Object rpcClient : rpcClients) {
                Object channel = field(rpcClient.getClass(), "channel").get(rpcClient);
                method(channel.getClass(), operation).invoke(channel);
            }
            return true;
        }
        catch (ReflectiveOperationException | RuntimeException ex) {
            if (UNSUPPORTED_LOGGED.compareAndSet(false, true)) {
                LOG.info("Cannot reach the gRPC channels of " + client.getClass().getName() + " (" + ex
                    + "): after an outage it reconnects when gRPC's back-off says, and its close is not bounded");
            }
            return false;
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> current = type; current != null; current = current.getSuperclass()) {
            try {
                Field field = current.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            }
            catch (NoSuchFieldException ex) {
                // look further up
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }

    private static Method method(Class<?> type, String name) throws NoSuchMethodException {
        for (Class<?> current = type; current != null; current = current.getSuperclass()) {
            try {
                Method method = current.getDeclaredMethod(name);
                method.setAccessible(true);
                return method;
            }
            catch (NoSuchMethodException ex) {
                // look further up
            }
        }
        throw new NoSuchMethodException(type.getName() + "." + name + "()");
    }

}
