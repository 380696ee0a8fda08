package io.github.onsdelay.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.onsdelay.benchmarks.peers.Peer;
import io.github.onsdelay.benchmarks.peers.Versions;
import org.redisson.Redisson;
import org.redisson.api.RBlockingQueue;
import org.redisson.api.RDelayedQueue;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * Redisson's {@code RDelayedQueue} on a real Redis ({@link RedisServer}): {@code offer(body, delay)} into the
 * delayed queue, which Redisson moves into a blocking queue when due; 4 consumer threads {@code poll} the
 * blocking queue. Redisson has no retry: a failed body is offered again with a 1 s delay by the consumer, as
 * users do it (a crash between the poll and that offer loses the body).
 */
@SuppressWarnings("deprecation") // RDelayedQueue: deprecated since Redisson 3.46 in favour of RReliableQueue; the issue names it
final class RedissonPeer implements Peer {

    private static final int CONSUMERS = 4;

    private RedisServer redis;

    private RedissonClient client;

    private RBlockingQueue<String> queue;

    private RDelayedQueue<String> delayed;

    private final List<Thread> consumers = new ArrayList<>();

    private volatile boolean running;

    @Override
    public String name() {
        return "Redisson";
    }

    @Override
    public String settings() {
        return "Redisson " + Versions.of("org.redisson", "redisson", Redisson.class) + " RDelayedQueue over an RBlockingQueue, StringCodec, "
            + CONSUMERS + " consumer threads polling; Redis " + redis.version() + " (Debian), appendonly yes, "
            + "appendfsync everysec";
    }

    @Override
    public void start(Delivery delivery) throws Exception {
        redis = RedisServer.start();
        Config config = new Config();
        config.setCodec(StringCodec.INSTANCE);
        config.useSingleServer().setAddress(redis.address());
        client = Redisson.create(config);
        queue = client.getBlockingQueue("peer");
        delayed = client.getDelayedQueue(queue);
        running = true;
        for (int i = 0; i < CONSUMERS; i++) {
            Thread consumer = new Thread(() -> consume(delivery), "peer-redisson-" + i);
            consumer.start();
            consumers.add(consumer);
        }
    }

    private void consume(Delivery delivery) {
        while (running) {
            String body;
            try {
                body = queue.poll(200, TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            catch (RuntimeException ex) {
                if (running) {
                    BenchLog.log("Redisson poll failed: " + ex);
                }
                continue;
            }
            if (body == null) {
                continue;
            }
            try {
                delivery.handle(body);
            }
            catch (Exception ex) {
                delayed.offer(body, 1, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void sendDelayed(String body, long dueEpochMillis) {
        delayed.offer(body, Math.max(0, dueEpochMillis - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
    }

    @Override
    public String asyncApi() {
        return "RDelayedQueue.offerAsync";
    }

    @Override
    public java.util.concurrent.CompletableFuture<?> sendDelayedAsync(java.util.List<String> bodies, long dueEpochMillis) {
        long delay = Math.max(0, dueEpochMillis - System.currentTimeMillis());
        return java.util.concurrent.CompletableFuture.allOf(bodies.stream()
            .map(body -> delayed.offerAsync(body, delay, TimeUnit.MILLISECONDS).toCompletableFuture())
            .toArray(java.util.concurrent.CompletableFuture[]::new));
    }

    @Override
    public void sendRetried(String body) {
        queue.offer(body);
    }

    @Override
    public String retryNote() {
        return "by hand: Redisson has no retry; the consumer offers the failed body to the delayed queue again, 1 s";
    }

    @Override
    public void close() throws Exception {
        running = false;
        for (Thread consumer : consumers) {
            consumer.join(5_000);
        }
        if (delayed != null) {
            delayed.destroy();
        }
        if (client != null) {
            client.shutdown();
        }
        if (redis != null) {
            redis.close();
        }
    }

}
