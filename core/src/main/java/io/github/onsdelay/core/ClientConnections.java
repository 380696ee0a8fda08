package io.github.onsdelay.core;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.jspecify.annotations.Nullable;

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
 * which a call left open at the server never lets happen (its telemetry stream, when the server went silent).
 * {@link #closeWithin} closes gracefully, and after the timeout ends the calls of the channels the client had
 * when the close began ({@code shutdownNow()}), so that an application's stop never hangs on its client. They are
 * taken beforehand because a closing client removes each channel from its table before it waits for it, holding
 * the table's lock meanwhile.
 *
 * <p>The channels are reached by reflection, along rocketmq-client-java 5.2.0's own fields
 * ({@code clientManager}, its {@code rpcClientTable} and {@code rpcClientTableLock}, each rpc client's
 * {@code channel}); on a RocketMQ client of another shape nothing is done, and that is logged once, at WARN.
 */
public final class ClientConnections {

    private static final Log LOG = LogFactory.getLog(ClientConnections.class);

    private static final AtomicBoolean UNSUPPORTED_LOGGED = new AtomicBoolean();

    /** How long to wait for the client's table: the client itself holds it only briefly, except while closing. */
    private static final long TABLE_LOCK_WAIT_MS = 200;

    private ClientConnections() {
    }

    /**
     * Ends the reconnect back-off of every channel of a producer or consumer built by rocketmq-client-java.
     *
     * @return how many channels were reached: 0 for a client with none yet, one that is closing, or one whose
     *     channels cannot be reached (logged once)
     */
    public static int reconnectNow(Object client) {
        List<Object> channels = channels(client);
        return channels == null ? 0 : invokeEach(client, channels, "resetConnectBackoff");
    }

    /** The producer the starters use: its {@code close()} ends within {@code closeTimeout} and a little more. */
    public static Producer boundedClose(Producer producer, Duration closeTimeout) {
        return new BoundedCloseProducer(producer, closeTimeout);
    }

    /**
     * Closes a client gracefully; if it has not closed within {@code timeout}, ends its channels' calls so that it
     * can, and waits 2 s more. A close that still does not end is left to the JVM's exit, and logged.
     *
     * @return whether the close ended
     */
    public static boolean closeWithin(AutoCloseable client, Duration timeout, String what) {
        List<Object> channels = channels(client);
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
            if (!closer.isAlive()) {
                return true;
            }
            LOG.warn("Closing " + what + " did not end within " + timeout.toMillis() + " ms (a call is still "
                + "open at the server); ending its calls");
            if (channels != null) {
                invokeEach(client, channels, "shutdownNow");
            }
            closer.join(2_000);
            if (!closer.isAlive()) {
                return true;
            }
            LOG.warn("Closing " + what + " still did not end; leaving it to the JVM's exit");
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return !closer.isAlive();
        }
    }

    /** The client's gRPC channels now; none when its table is held (a close), null when they cannot be reached. */
    private static @Nullable List<Object> channels(Object client) {
        Object target = client instanceof BoundedCloseProducer bounded ? bounded.delegate : client;
        try {
            Object manager = field(target.getClass(), "clientManager").get(target);
            Map<?, ?> table = (Map<?, ?>) field(manager.getClass(), "rpcClientTable").get(manager);
            ReadWriteLock tableLock = (ReadWriteLock) field(manager.getClass(), "rpcClientTableLock").get(manager);
            List<Object> rpcClients;
            Lock lock = tableLock.readLock();
            if (!lock.tryLock(TABLE_LOCK_WAIT_MS, TimeUnit.MILLISECONDS)) {
                return List.of();
            }
            try {
                rpcClients = new ArrayList<>(table.values());
            }
            finally {
                lock.unlock();
            }
            List<Object> channels = new ArrayList<>(rpcClients.size());
            for (Object rpcClient : rpcClients) {
                channels.add(field(rpcClient.getClass(), "channel").get(rpcClient));
            }
            return channels;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        catch (ReflectiveOperationException | RuntimeException ex) {
            unsupported(target, ex);
            return null;
        }
    }

    private static int invokeEach(Object client, List<Object> channels, String operation) {
        int reached = 0;
        for (Object channel : channels) {
            try {
                method(channel.getClass(), operation).invoke(channel);
                reached++;
            }
            catch (ReflectiveOperationException | RuntimeException ex) {
                unsupported(client, ex);
                return reached;
            }
        }
        return reached;
    }

    /** Logged once per JVM, and only for RocketMQ's own clients: anything else has no channels to reach. */
    private static void unsupported(Object client, Exception ex) {
        if (client instanceof BoundedCloseProducer bounded) {
            client = bounded.delegate;
        }
        if (client.getClass().getName().startsWith("org.apache.rocketmq.")
                && UNSUPPORTED_LOGGED.compareAndSet(false, true)) {
            LOG.warn("Cannot reach the gRPC channels of " + client.getClass().getName() + " (" + ex + "): this "
                + "rocketmq-client-java is not the 5.2.0 ons-delay was built for. Until the versions match, a client "
                + "reconnects after a server outage only when gRPC's back-off says (up to 2 minutes later), and "
                + "closing it may hang on a call left open at the server; use rocketmq-client-java 5.2.0, or an "
                + "ons-delay release made for your client's version");
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
