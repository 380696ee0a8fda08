package io.github.onsdelay.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.onsdelay.producer.DelayProducer;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.ConsumeResult;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.FilterExpressionType;
import org.apache.rocketmq.client.apis.consumer.PushConsumer;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One freshly started application in its own JVM, as after a deploy, against the benchmark's server (which is
 * warm): the moment it has started it sends, from one thread, every {@link #STEP_MS} ms, {@link #MESSAGES} messages
 * due at once, each followed by one due {@link #SOON_MS} ms later; on the library side, every fourth of those due at
 * once (the second, the sixth, ...) fails its first attempt and is retried {@link #RETRY_DELAY} later. {@link #WARM_AFTER_MS} after the start it sends
 * {@link #MESSAGES} more due at once, warm. Prints a line {@code FIRST-SECOND kind lateness} per handled message
 * (handler start - due time, ms; kinds {@code first}, {@code now}, {@code soon}, {@code retry}, {@code warm}), and how long the context took to start and each of the first sends took.
 * Run by {@link FirstSecondBenchmark}: {@code --side=library|raw --endpoints=...}.
 */
public final class FirstSecondChild {

    static final String PREFIX = "FIRST-SECOND ";

    static final int MESSAGES = 20;

    static final long STEP_MS = 50;

    static final long SOON_MS = 300;

    static final long WARM_AFTER_MS = 5_000;

    /** The library's retry delay: a retry due within the first second. */
    static final String RETRY_DELAY = "200ms";

    private static final ClientServiceProvider PROVIDER = ClientServiceProvider.loadService();

    private FirstSecondChild() {
    }

    public static void main(String[] args) throws Exception {
        String side = option(args, "side");
        String endpoints = option(args, "endpoints");
        // Each message's last handler run: a failing one's attempt 1 (library), or its only run (raw).
        int expected = MESSAGES * 3;
        CountDownLatch handled = new CountDownLatch(expected);
        long began = System.nanoTime();
        if (side.equals("library")) {
            library(endpoints, handled, began);
        }
        else {
            raw(endpoints, handled, began);
        }
        System.exit(0);
    }

    private static void library(String endpoints, CountDownLatch handled, long began) throws Exception {
        BenchListener.handler = (payload, context) -> {
            long lateness = System.currentTimeMillis() - context.dueAt().toEpochMilli();
            boolean failsOnce = payload.id().startsWith("now-") && Integer.parseInt(payload.id().substring(4)) % 4 == 1;
            if (failsOnce && context.attempt() == 0) {
                return false;
            }
            print((failsOnce ? "retry" : kind(payload.id())) + " " + lateness);
            handled.countDown();
            return true;
        };
        try (ConfigurableApplicationContext application = LibraryApplication.listening(endpoints,
                Duration.ofMillis(1000), "bench-first", "bench-first-lib", false,
                List.of("logging.level.root=WARN", "spring.main.banner-mode=off"))) {
            print("started-ms " + (System.nanoTime() - began) / 1_000_000);
            DelayProducer producer = application.getBean("bench-first", DelayProducer.class);
            send(handled, (id, dueAt) -> producer.deliverAt(Payload.of(id), Instant.ofEpochMilli(dueAt)));
        }
    }

    private static void raw(String endpoints, CountDownLatch handled, long began) throws Exception {
        ClientConfiguration configuration = ClientConfiguration.newBuilder().setEndpoints(endpoints).enableSsl(false)
            .setRequestTimeout(Duration.ofSeconds(3)).build();
        try (PushConsumer consumer = PROVIDER.newPushConsumerBuilder().setClientConfiguration(configuration)
                .setConsumerGroup("bench-first-raw")
                .setSubscriptionExpressions(Map.of("bench_first_raw", new FilterExpression("*", FilterExpressionType.TAG)))
                .setMessageListener(view -> {
                    long lateness = System.currentTimeMillis() - view.getDeliveryTimestamp().orElse(0L);
                    print(kind(view.getKeys().iterator().next()) + " " + lateness);
                    handled.countDown();
                    return ConsumeResult.SUCCESS;
                }).build();
                Producer producer = PROVIDER.newProducerBuilder().setClientConfiguration(configuration)
                    .setTopics("bench_first_raw").build()) {
            print("started-ms " + (System.nanoTime() - began) / 1_000_000);
            send(handled, (id, dueAt) -> producer.send(RawClient.message("bench_first_raw", id, dueAt)));
        }
    }

    @FunctionalInterface
    private interface Sender {

        void send(String id, long dueAt) throws Exception;

    }

    /** The sends of {@link FirstSecondChild}, then waits (30 s at most) for their handlers. */
    private static void send(CountDownLatch handled, Sender sender) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < MESSAGES; i++) {
            pause(start, i * STEP_MS);
            long sendStart = System.nanoTime();
            sender.send("now-" + i, System.currentTimeMillis());
            if (i < 3) {
                print("send-ms " + i + " " + (System.nanoTime() - sendStart) / 1_000_000);
            }
            sender.send("soon-" + i, System.currentTimeMillis() + SOON_MS);
        }
        for (int i = 0; i < MESSAGES; i++) {
            pause(start, WARM_AFTER_MS + i * STEP_MS);
            sender.send("warm-" + i, System.currentTimeMillis());
        }
        if (!handled.await(30, TimeUnit.SECONDS)) {
            print("missing " + handled.getCount());
        }
    }

    /** The kind of a message by its id: {@code now-0} is the first. */
    private static String kind(String id) {
        return id.equals("now-0") ? "first" : id.substring(0, id.indexOf('-'));
    }

    private static void pause(long start, long atMs) throws InterruptedException {
        long wait = start + TimeUnit.MILLISECONDS.toNanos(atMs) - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static synchronized void print(String line) {
        System.out.println(PREFIX + line);
    }

    private static String option(String[] args, String name) {
        for (String arg : args) {
            if (arg.startsWith("--" + name + "=")) {
                return arg.substring(name.length() + 3);
            }
        }
        throw new IllegalArgumentException("--" + name + "= is missing");
    }

}
