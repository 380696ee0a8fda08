package io.github.onsdelay.core;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Fetches the routes of the topics a RocketMQ client is about to use, ahead of its first call.
 *
 * <p>rocketmq-client-java fetches a topic's route at the first send to it, and then syncs its settings with each
 * endpoint it did not know: two round trips before the send's own, on the first message of an application that
 * has just started (measured 80-100 ms on a local server, 700 ms in a JVM still cold). The client offers this only
 * when it is built ({@code ProducerBuilder.setTopics}), where a topic it cannot fetch fails the start; here the
 * first topic is fetched alone (it opens the session the others share), then the others side by side, all within
 * one bound, and one that fails or outlasts the bound is left to its first send.
 *
 * <p>The fetch is reached by reflection, along rocketmq-client-java 5.2.0's own {@code ClientImpl.getRouteData};
 * on a client of another shape nothing is fetched, and that is logged once, at WARN.
 */
public final class ClientRoutes {

    private static final Log LOG = LogFactory.getLog(ClientRoutes.class);

    private static final AtomicBoolean UNSUPPORTED_LOGGED = new AtomicBoolean();

    private ClientRoutes() {
    }

    /**
     * Fetches the route of each topic through {@code client}, waiting for all of them until {@code timeout}.
     *
     * @return the topics whose route the client now holds; those missing failed (the topic does not exist, the
     *     server is unreachable) or did not answer in time, and are fetched again at their first send. Null when
     *     this client cannot fetch ahead (not rocketmq-client-java 5.2.0's; logged once)
     */
    public static @Nullable Set<String> fetch(Object client, Collection<String> topics, Duration timeout) {
        Object target = client instanceof BoundedCloseProducer bounded ? bounded.delegate : client;
        Method getRouteData;
        try {
            getRouteData = routeMethod(target.getClass());
        }
        catch (NoSuchMethodException | RuntimeException ex) {
            unsupported(target, ex);
            return null;
        }
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(topics));
        Set<String> fetched = new LinkedHashSet<>();
        if (distinct.isEmpty()) {
            return fetched;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        // The first alone: it opens the client's session with the server and syncs its settings, which the others
        // then share. Fetches started together each find the server new and sync again; one such start was seen
        // to hang until the client's settings timeout.
        Map<String, Future<?>> first = start(target, getRouteData, distinct.subList(0, 1));
        if (first == null) {
            return null;
        }
        awaitAll(first, deadline, timeout, fetched);
        Map<String, Future<?>> rest = start(target, getRouteData, distinct.subList(1, distinct.size()));
        if (rest == null) {
            return null;
        }
        awaitAll(rest, deadline, timeout, fetched);
        return fetched;
    }

    private static @Nullable Map<String, Future<?>> start(Object target, Method getRouteData, List<String> topics) {
        Map<String, Future<?>> fetches = new LinkedHashMap<>();
        for (String topic : topics) {
            try {
                fetches.put(topic, (Future<?>) getRouteData.invoke(target, topic));
            }
            catch (ReflectiveOperationException | RuntimeException ex) {
                unsupported(target, ex);
                return null;
            }
        }
        return fetches;
    }

    private static void awaitAll(Map<String, Future<?>> fetches, long deadline, Duration timeout, Set<String> fetched) {
        for (Map.Entry<String, Future<?>> fetch : fetches.entrySet()) {
            try {
                fetch.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                fetched.add(fetch.getKey());
            }
            catch (ExecutionException ex) {
                String tls = TlsFailures.reason(ex.getCause());
                if (tls != null) {
                    // Every send will fail the same way: say why now, not at the first send.
                    LOG.warn("Route of topic '" + fetch.getKey() + "' not fetched: TLS with the proxy failed: " + tls);
                }
                else {
                    LOG.debug("Route of topic '" + fetch.getKey() + "' not fetched ahead: " + ex.getCause());
                }
            }
            catch (TimeoutException ex) {
                LOG.debug("Route of topic '" + fetch.getKey() + "' not fetched within " + timeout.toMillis() + " ms");
            }
            catch (CancellationException ex) {
                // The client gave up waiting for the server's settings on its session (3 s plus its request
                // timeout): rocketmq-client-java 5.2.0 keeps that session, and its cancelled settings, for good.
                LOG.warn("Route of topic '" + fetch.getKey() + "' not fetched ahead: the RocketMQ client's session "
                    + "with the server timed out waiting for its settings; this client may fail every send to a topic "
                    + "it has not sent to yet (CancellationException) until the application restarts");
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static Method routeMethod(Class<?> type) throws NoSuchMethodException {
        for (Class<?> current = type; current != null; current = current.getSuperclass()) {
            try {
                Method method = current.getDeclaredMethod("getRouteData", String.class);
                method.setAccessible(true);
                return method;
            }
            catch (NoSuchMethodException ex) {
                // look further up
            }
        }
        throw new NoSuchMethodException(type.getName() + ".getRouteData(String)");
    }

    /** Logged once per JVM, and only for RocketMQ's own clients: anything else has no routes to fetch. */
    private static void unsupported(Object client, Exception ex) {
        if (client.getClass().getName().startsWith("org.apache.rocketmq.")
                && UNSUPPORTED_LOGGED.compareAndSet(false, true)) {
            LOG.warn("Cannot fetch topic routes ahead through " + client.getClass().getName() + " (" + ex + "): this "
                + "rocketmq-client-java is not the 5.2.0 ons-delay was built for. Until the versions match, the first "
                + "send to each topic fetches its route first, and is that much later; use rocketmq-client-java 5.2.0, "
                + "or an ons-delay release made for your client's version");
        }
    }

}
