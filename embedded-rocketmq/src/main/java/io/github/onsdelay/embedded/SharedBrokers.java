package io.github.onsdelay.embedded;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The servers of this JVM that test classes share, one per {@link EmbeddedRocketMQSettings.ServerKey}.
 * They live until the JVM exits: Spring's test context cache keeps clients connected until then, and a
 * graceful stop would only add seconds to every test run. Their temporary stores are deleted at exit.
 */
final class SharedBrokers {

    private static final Map<EmbeddedRocketMQSettings.ServerKey, EmbeddedRocketMQBroker> BROKERS =
        new ConcurrentHashMap<>();

    private SharedBrokers() {
    }

    static EmbeddedRocketMQBroker obtain(EmbeddedRocketMQSettings settings) {
        EmbeddedRocketMQBroker broker = BROKERS.computeIfAbsent(settings.serverKey(), key -> {
            EmbeddedRocketMQBroker created = settings.newBuilder().build();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteStore(created),
                "ons-delay-embedded-rocketmq-cleanup"));
            return created;
        });
        synchronized (broker) {
            // A test may have stopped a shared server (a restart test that failed half-way): bring it back.
            broker.start();
        }
        settings.applyTo(broker);
        return broker;
    }

    private static void deleteStore(EmbeddedRocketMQBroker broker) {
        EmbeddedRocketMQBroker.deleteRecursively(broker.storeDir());
    }

}
