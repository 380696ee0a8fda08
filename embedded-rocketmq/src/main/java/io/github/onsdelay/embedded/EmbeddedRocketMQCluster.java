package io.github.onsdelay.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A RocketMQ 5 cluster in this JVM, for tests: one NameServer, several brokers, each in a class loader of its
 * own (so each has its own static state, as separate processes would), and a gRPC proxy in CLUSTER mode that
 * reaches the brokers through the NameServer, as a production proxy does.
 *
 * <p>Broker 0 also hosts the NameServer and the proxy; the other brokers can be stopped and started again
 * ({@link #stopBroker}, {@link #startBroker}) on their own store, to see what clients do when a broker of the
 * cluster goes away. Topics are created on every broker. Chosen over child processes: starting is as fast as
 * the single server (one JVM warm), and a test can read each broker's store directly.
 *
 * <pre>{@code
 * try (EmbeddedRocketMQCluster cluster = EmbeddedRocketMQCluster.builder().brokers(2)
 *         .topic("order_cancel", TopicMessageType.DELAY).build().start()) {
 *     String endpoints = cluster.endpoints();
 * }
 * }</pre>
 */
public final class EmbeddedRocketMQCluster implements AutoCloseable {

    private static final Log LOG = LogFactory.getLog(EmbeddedRocketMQCluster.class);

    private final int brokers;

    private final Duration timerPrecision;

    private final Duration maxDelay;

    private final Map<String, TopicMessageType> topics;

    private final Path storeDir;

    private final String logLevel;

    private final @Nullable ServerHandle[] servers;

    private int grpcPort;

    private final @Nullable Path tlsCertificate;

    private final @Nullable Path tlsKey;

    private EmbeddedRocketMQCluster(Builder builder) {
        this.brokers = builder.brokers;
        this.timerPrecision = builder.timerPrecision;
        this.maxDelay = builder.maxDelay;
        this.topics = new LinkedHashMap<>(builder.topics);
        this.logLevel = builder.logLevel;
        this.tlsCertificate = builder.tlsCertificate;
        this.tlsKey = builder.tlsKey;
        this.servers = new ServerHandle[brokers];
        try {
            this.storeDir = Files.createTempDirectory("ons-delay-embedded-cluster-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot create the embedded cluster's store", ex);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the NameServer, every broker and the proxy, and creates the topics on every broker. */
    public synchronized EmbeddedRocketMQCluster start() {
        long began = System.nanoTime();
        servers[0] = startHead();
        for (int broker = 1; broker < brokers; broker++) {
            servers[broker] = startServer(broker);
        }
        topics.forEach(this::createTopic);
        LOG.info("Embedded RocketMQ cluster of " + brokers + " brokers ready at " + endpoints() + " in "
            + Duration.ofNanos(System.nanoTime() - began).toMillis() + " ms");
        return this;
    }

    /** The NameServer, broker 0 and the proxy, on a port chosen here. */
    private ServerHandle startHead() {
        try {
            return FreePortStart.start("the embedded cluster's proxy", port -> {
                grpcPort = port;
                return startServer(0);
            });
        }
        catch (RuntimeException ex) {
            grpcPort = 0;
            throw ex;
        }
    }

    private ServerHandle startServer(int broker) {
        Path instanceDir = storeDir.resolve("broker-" + broker).toAbsolutePath();
        ServerClassLoader loader = new ServerClassLoader(EmbeddedRocketMQBroker.writeServerConfig(instanceDir, logLevel),
            ServerBundle.jars(), EmbeddedRocketMQCluster.class.getClassLoader());
        Map<String, String> settings = new HashMap<>(Map.of(
            "baseDir", instanceDir.toString(),
            "grpcPort", Integer.toString(grpcPort),
            "timerPrecisionMs", Long.toString(timerPrecision.toMillis()),
            "maxDelayMs", Long.toString(maxDelay.toMillis()),
            "longPollingMs", "3000",
            // A timer checkpoint a minute, as the shared test servers: a broker of the cluster is stopped gracefully
            // (which writes it), and each flush compares the timer's whole wheel (38 MB) byte by byte.
            "timerFlushIntervalMs", "60000",
            "brokerName", "broker-" + broker,
            "role", broker == 0 ? "head" : "member"));
        if (broker > 0) {
            settings.put("namesrvAddr", head().namesrvAddress());
        }
        else if (tlsCertificate != null && tlsKey != null) {
            // The proxy is the head's: only it speaks TLS to clients.
            settings.put("tls", "true");
            settings.put("tlsCertPath", tlsCertificate.toAbsolutePath().toString());
            settings.put("tlsKeyPath", tlsKey.toAbsolutePath().toString());
        }
        return ServerHandle.start(loader, settings);
    }

    private ServerHandle head() {
        ServerHandle head = servers[0];
        if (head == null) {
            throw new IllegalStateException("The embedded cluster is not running");
        }
        return head;
    }

    /** Creates a topic on every running broker and waits until the NameServer's route lists them all. */
    public synchronized void createTopic(String topic, TopicMessageType type) {
        topics.put(Objects.requireNonNull(topic, "topic"), Objects.requireNonNull(type, "type"));
        int running = 0;
        for (int broker = brokers - 1; broker >= 0; broker--) {
            ServerHandle server = servers[broker];
            if (server != null) {
                server.createTopic(topic, type);
                running++;
            }
        }
        awaitBrokersServing(topic, running);
    }

    private void awaitBrokersServing(String topic, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (head().brokersServing(topic) < expected) {
            if (System.nanoTime() > deadline) {
                throw new EmbeddedRocketMQException("Topic '" + topic + "' is not served by " + expected
                    + " brokers within 15 s");
            }
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new EmbeddedRocketMQException("Interrupted while waiting for the route of " + topic, ex);
            }
        }
    }

    /** Stops broker {@code broker} (1 or more: broker 0 hosts the NameServer and the proxy) gracefully. */
    public synchronized void stopBroker(int broker) {
        ServerHandle server = member(broker);
        if (server != null) {
            servers[broker] = null;
            server.shutdown();
        }
    }

    /** Starts a stopped broker again on its own store; it registers its topics with the NameServer again. */
    public synchronized void startBroker(int broker) {
        if (member(broker) != null) {
            return;
        }
        servers[broker] = startServer(broker);
        topics.forEach((topic, type) -> servers[broker].createTopic(topic, type));
        topics.keySet().forEach(topic -> awaitBrokersServing(topic, running()));
    }

    private @Nullable ServerHandle member(int broker) {
        if (broker < 1 || broker >= brokers) {
            throw new IllegalArgumentException("Broker " + broker + " is not a member broker of this cluster (1 to "
                + (brokers - 1) + "; broker 0 hosts the NameServer and the proxy)");
        }
        return servers[broker];
    }

    private int running() {
        int running = 0;
        for (ServerHandle server : servers) {
            running += server == null ? 0 : 1;
        }
        return running;
    }

    /** How many messages broker {@code broker} stored in a topic (a timed message counts once released). */
    public synchronized long storedMessages(int broker, String topic) {
        ServerHandle server = servers[broker];
        if (server == null) {
            throw new IllegalStateException("Broker " + broker + " is stopped");
        }
        return server.storedMessages(topic);
    }

    /** {@code 127.0.0.1:port} of the proxy, for {@code mqs.ons.endpoints}. */
    public String endpoints() {
        return "127.0.0.1:" + grpcPort;
    }

    public Duration timerPrecision() {
        return timerPrecision;
    }

    public Duration maxDelay() {
        return maxDelay;
    }

    public int brokers() {
        return brokers;
    }

    /** Stops every broker (members first) and deletes the stores. */
    @Override
    public synchronized void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (int broker = brokers - 1; broker >= 0; broker--) {
            ServerHandle server = servers[broker];
            servers[broker] = null;
            if (server != null) {
                try {
                    server.shutdown();
                }
                catch (RuntimeException ex) {
                    failures.add(ex);
                }
            }
        }
        EmbeddedRocketMQBroker.deleteRecursively(storeDir);
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedRocketMQCluster[" + brokers + " brokers at " + (grpcPort == 0 ? "not started" : endpoints()) + "]";
    }

    /** Settings of a cluster; {@link #build()} makes it, {@link EmbeddedRocketMQCluster#start()} starts it. */
    public static final class Builder {

        private int brokers = 2;

        private Duration timerPrecision = Duration.ofMillis(100);

        private Duration maxDelay = Duration.ofDays(1);

        private final Map<String, TopicMessageType> topics = new LinkedHashMap<>();

        private String logLevel = "WARN";

        private @Nullable Path tlsCertificate;

        private @Nullable Path tlsKey;

        private Builder() {
        }

        /** How many brokers (2 by default, at least 2). */
        public Builder brokers(int brokers) {
            if (brokers < 2) {
                throw new IllegalArgumentException("A cluster has at least 2 brokers, was " + brokers);
            }
            this.brokers = brokers;
            return this;
        }

        public Builder timerPrecision(Duration timerPrecision) {
            this.timerPrecision = Objects.requireNonNull(timerPrecision, "timerPrecision");
            return this;
        }

        public Builder maxDelay(Duration maxDelay) {
            this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
            return this;
        }

        /** A topic to create on every broker at start. */
        public Builder topic(String topic, TopicMessageType type) {
            this.topics.put(Objects.requireNonNull(topic, "topic"), Objects.requireNonNull(type, "type"));
            return this;
        }

        public Builder logLevel(String logLevel) {
            this.logLevel = Objects.requireNonNull(logLevel, "logLevel");
            return this;
        }

        /**
         * Makes the proxy accept TLS only, presenting this certificate chain (PEM, its own certificate first) and
         * private key (PEM, unencrypted PKCS#8), as {@link EmbeddedRocketMQBroker.Builder#tlsCertificate} does.
         */
        public Builder tlsCertificate(Path certificateChain, Path privateKey) {
            this.tlsCertificate = Objects.requireNonNull(certificateChain, "certificateChain");
            this.tlsKey = Objects.requireNonNull(privateKey, "privateKey");
            return this;
        }

        public EmbeddedRocketMQCluster build() {
            return new EmbeddedRocketMQCluster(this);
        }

    }

}
