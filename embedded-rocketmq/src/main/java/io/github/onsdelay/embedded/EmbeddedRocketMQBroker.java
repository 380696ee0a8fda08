package io.github.onsdelay.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A real RocketMQ 5 server in this JVM: a NameServer, a Broker with its timer wheel and a gRPC proxy in
 * LOCAL mode, listening on free ports of 127.0.0.1. Clients connect to {@link #endpoints()}.
 *
 * <pre>{@code
 * try (EmbeddedRocketMQBroker broker = EmbeddedRocketMQBroker.builder()
 *         .topic("order_cancel", TopicMessageType.DELAY)
 *         .build()
 *         .start()) {
 *     String endpoints = broker.endpoints();
 * }
 * }</pre>
 *
 * The server runs in a class loader of its own, so it never clashes with the application's
 * rocketmq-client-java, Netty or gRPC. Its files live under {@link #storeDir()} (a temporary directory
 * unless one is given), its logs under {@code storeDir/logs}.
 */
public final class EmbeddedRocketMQBroker implements AutoCloseable {

    static final Log LOG = LogFactory.getLog(EmbeddedRocketMQBroker.class);

    private static final Set<Long> TIMER_PRECISIONS = Set.of(100L, 200L, 500L, 1000L);

    private final Duration timerPrecision;

    private volatile Duration maxDelay;

    private final Path storeDir;

    private final boolean temporaryStore;

    private final String logLevel;

    private final Duration longPollingTimeout;

    private final Duration timerFlushInterval;

    private final @Nullable String accessKey;

    private final boolean tls;

    private final @Nullable Path tlsCertificate;

    private final @Nullable Path tlsKey;

    private final @Nullable String clientMetricsCollector;

    private final @Nullable String secretKey;

    private final Map<String, TopicMessageType> topics;

    private final Set<String> groups;

    private final Map<String, Integer> retryMaxTimes = new java.util.concurrent.ConcurrentHashMap<>();

    private int grpcPort;

    private @Nullable ServerHandle server;

    private @Nullable Duration lastStartupTime;

    private EmbeddedRocketMQBroker(Builder builder) {
        this.timerPrecision = builder.timerPrecision;
        this.maxDelay = builder.maxDelay;
        this.temporaryStore = builder.storeDir == null;
        this.storeDir = builder.storeDir != null ? builder.storeDir : createTempStore();
        this.logLevel = builder.logLevel;
        this.longPollingTimeout = builder.longPollingTimeout;
        this.timerFlushInterval = builder.timerFlushInterval;
        this.accessKey = builder.accessKey;
        this.tls = builder.tls;
        this.tlsCertificate = builder.tlsCertificate;
        this.tlsKey = builder.tlsKey;
        this.clientMetricsCollector = builder.clientMetricsCollector;
        this.secretKey = builder.secretKey;
        this.topics = Collections.synchronizedMap(new LinkedHashMap<>(builder.topics));
        this.groups = Collections.synchronizedSet(new LinkedHashSet<>(builder.groups));
        this.grpcPort = builder.grpcPort;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the server, creates the declared topics and groups and waits until their routes are
     * visible. Does nothing when it is already running.
     * @return this broker
     */
    public synchronized EmbeddedRocketMQBroker start() {
        if (server != null) {
            return this;
        }
        long began = System.nanoTime();
        // A port given, or kept from an earlier start (clients reconnect to it), is not changed.
        if (grpcPort != 0) {
            startOnce(began);
            return this;
        }
        try {
            return FreePortStart.start("the embedded proxy", port -> {
                grpcPort = port;
                startOnce(began);
                return this;
            });
        }
        catch (RuntimeException ex) {
            grpcPort = 0;
            throw ex;
        }
    }

    private void startOnce(long began) {
        Path instanceDir = storeDir.toAbsolutePath();
        ServerClassLoader loader = new ServerClassLoader(writeServerConfig(instanceDir, logLevel), ServerBundle.jars(),
            EmbeddedRocketMQBroker.class.getClassLoader());
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
            "baseDir", instanceDir.toString(),
            "grpcPort", Integer.toString(grpcPort),
            "timerPrecisionMs", Long.toString(timerPrecision.toMillis()),
            "maxDelayMs", Long.toString(maxDelay.toMillis()),
            "longPollingMs", Long.toString(longPollingTimeout.toMillis()),
            "timerFlushIntervalMs", Long.toString(timerFlushInterval.toMillis())));
        if (tls) {
            settings.put("tls", "true");
        }
        if (tlsCertificate != null && tlsKey != null) {
            settings.put("tlsCertPath", tlsCertificate.toAbsolutePath().toString());
            settings.put("tlsKeyPath", tlsKey.toAbsolutePath().toString());
        }
        if (clientMetricsCollector != null) {
            settings.put("clientMetricsCollector", clientMetricsCollector);
        }
        if (accessKey != null && secretKey != null) {
            settings.put("accessKey", accessKey);
            settings.put("secretKey", secretKey);
        }
        ServerHandle started = ServerHandle.start(loader, settings);
        server = started;
        try {
            topics.forEach(started::createTopic);
            groups.forEach(group -> started.createGroup(group, false, retryMaxTimes.getOrDefault(group, -1)));
        }
        catch (RuntimeException ex) {
            stop();
            throw ex;
        }
        lastStartupTime = Duration.ofNanos(System.nanoTime() - began);
        LOG.info("Embedded RocketMQ ready at " + endpoints() + " in " + lastStartupTime.toMillis()
            + " ms (store " + storeDir + ")");
    }

    /** Stops the server gracefully: the store is flushed, so a later {@link #start()} finds every message. */
    public synchronized void stop() {
        ServerHandle running = server;
        if (running != null) {
            server = null;
            running.shutdown();
        }
    }

    /** Stops gracefully and starts again on the same store and the same endpoint. */
    public synchronized void restart() {
        stop();
        start();
    }

    /** Stops the server and deletes its store when the store is a temporary directory. */
    @Override
    public synchronized void close() {
        stop();
        if (temporaryStore) {
            deleteRecursively(storeDir);
        }
    }

    /** Creates a topic (or changes its message type), now if running and again at every start. */
    public void createTopic(String topic, TopicMessageType type) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(type, "type");
        TopicMessageType previous = topics.put(topic, type);
        ServerHandle running = server;
        if (running != null && previous != type) {
            running.createTopic(topic, type);
        }
    }

    /** Creates a consumer group, now if running and again at every start. */
    public void createGroup(String group) {
        Objects.requireNonNull(group, "group");
        boolean added = groups.add(group);
        ServerHandle running = server;
        if (running != null && added) {
            running.createGroup(group, false, retryMaxTimes.getOrDefault(group, -1));
        }
    }

    /**
     * Creates (or changes) a consumer group whose messages the broker delivers again at most
     * {@code retryMaxTimes} times before it moves them to the group's dead-letter queue {@code %DLQ%group} (a
     * stock group: 16), now if running and again at every start.
     */
    public void createGroup(String group, int retryMaxTimes) {
        Objects.requireNonNull(group, "group");
        if (retryMaxTimes < 0) {
            throw new IllegalArgumentException("retryMaxTimes must not be negative, was " + retryMaxTimes);
        }
        groups.add(group);
        this.retryMaxTimes.put(group, retryMaxTimes);
        ServerHandle running = server;
        if (running != null) {
            running.createGroup(group, false, retryMaxTimes);
        }
    }


    /** The message type the running server records for a topic, or null when it has no such topic. */
    public @Nullable TopicMessageType topicMessageType(String topic) {
        String type = requireRunning().topicMessageType(topic);
        return type == null || "UNSPECIFIED".equals(type) ? null : TopicMessageType.valueOf(type);
    }

    /** The gRPC endpoint of the proxy, as {@code 127.0.0.1:port}: what {@code mqs.ons.endpoints} takes. */
    public String endpoints() {
        if (grpcPort == 0) {
            throw new IllegalStateException("Embedded RocketMQ has not been started");
        }
        return "127.0.0.1:" + grpcPort;
    }

    /** The NameServer address of the running server, for admin tools and remoting clients. */
    public String namesrvAddress() {
        return requireRunning().namesrvAddress();
    }

    /** Whether clients must sign their requests with the access and secret key given to the builder. */
    public boolean isAuthenticationEnabled() {
        return accessKey != null;
    }

    /**
     * Sends a message with RocketMQ's remoting client ({@code org.apache.rocketmq:rocketmq-client}, the
     * 4.x-style API, of the server's own version) straight to the broker, as applications that are not
     * gRPC clients do: for tests of how messages from such producers are consumed.
     * @return the broker's message id
     */
    public String sendWithRemotingClient(RemotingMessage message) {
        return requireRunning().sendWithRemotingClient(message.topic(), message.tag(), message.keys(), message.body(),
            message.properties(), message.timer());
    }

    /** Whether the proxy accepts TLS connections only (with a self-signed certificate it generated). */
    public boolean isTls() {
        return tls;
    }

    public boolean isRunning() {
        return server != null;
    }

    public Path storeDir() {
        return storeDir;
    }

    public Duration timerPrecision() {
        return timerPrecision;
    }

    public Duration maxDelay() {
        return maxDelay;
    }

    /**
     * Changes the longest delay the server accepts, now if running and at every start: a shared server serves test
     * classes that ask for different ones, one class at a time.
     */
    synchronized void maxDelay(Duration maxDelay) {
        this.maxDelay = requirePositiveMaxDelay(maxDelay);
        ServerHandle running = server;
        if (running != null) {
            running.maxDelay(maxDelay);
        }
    }

    private static Duration requirePositiveMaxDelay(Duration maxDelay) {
        if (maxDelay.isNegative() || maxDelay.isZero()) {
            throw new IllegalArgumentException("Max delay must be positive, was " + maxDelay);
        }
        return maxDelay;
    }

    /** RocketMQ's version of the running server as it reports it, {@code V5_5_0} for 5.5.0. */
    public String serverVersion() {
        return requireRunning().version();
    }

    /** Where the fast stop would wake threads but this server's RocketMQ has no such class or method. */
    List<String> unknownStopWaitPlaces() {
        return requireRunning().unknownStopWaitPlaces();
    }

    /** How long the last {@link #start()} took until topics were routable, or null before the first start. */
    public @Nullable Duration lastStartupTime() {
        return lastStartupTime;
    }

    private ServerHandle requireRunning() {
        ServerHandle running = server;
        if (running == null) {
            throw new IllegalStateException("Embedded RocketMQ is not running");
        }
        return running;
    }

    @Override
    public String toString() {
        return "EmbeddedRocketMQBroker[" + (grpcPort == 0 ? "not started" : endpoints())
            + (isRunning() ? ", running" : ", stopped") + ", store=" + storeDir + "]";
    }

    /**
     * Per-server class path entry: the logging configuration the server's logback finds first, and the
     * service file that replaces the broker's HA service (which would listen on every interface).
     */
    static java.net.URL writeServerConfig(Path instanceDir, String logLevel) {
        Path conf = instanceDir.resolve("conf");
        try {
            Files.createDirectories(conf.resolve("META-INF/service"));
            Files.writeString(conf.resolve("rmq.logback-test.xml"), logbackConfig(instanceDir.resolve("logs"), logLevel),
                StandardCharsets.UTF_8);
            Files.writeString(conf.resolve("META-INF/service/org.apache.rocketmq.store.ha.HAService"),
                ServerClassLoader.BOOTSTRAP_PACKAGE + "LoopbackHAService\n", StandardCharsets.UTF_8);
            return conf.toUri().toURL();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot write the embedded server's configuration under " + conf, ex);
        }
    }

    private static String logbackConfig(Path logDir, String logLevel) {
        return """
            <configuration>
              <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                <file>%s</file>
                <encoder><pattern>%%d{HH:mm:ss.SSS} %%-5p [%%t] %%c{0} - %%m%%n</pattern></encoder>
              </appender>
              <root level="%s"><appender-ref ref="FILE"/></root>
            </configuration>
            """.formatted(logDir.resolve("rocketmq.log"), logLevel);
    }

    private static Path createTempStore() {
        try {
            return Files.createTempDirectory("ons-delay-rocketmq-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot create a temporary store directory", ex);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, @Nullable IOException exc) throws IOException {
                    Files.deleteIfExists(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (IOException ex) {
            LOG.warn("Could not delete the embedded RocketMQ store " + dir, ex);
        }
    }

    /**
     * Settings of an {@link EmbeddedRocketMQBroker}; every one has a default fit for tests.
     */
    public static final class Builder {

        private Duration timerPrecision = Duration.ofMillis(100);

        private Duration maxDelay = Duration.ofDays(1);

        private @Nullable Path storeDir;

        private String logLevel = "WARN";

        private Duration longPollingTimeout = Duration.ofSeconds(3);

        private Duration timerFlushInterval = Duration.ofSeconds(1);

        private @Nullable String accessKey;

        private boolean tls;

        private @Nullable Path tlsCertificate;

        private @Nullable Path tlsKey;

        private @Nullable String clientMetricsCollector;

        private @Nullable String secretKey;

        private int grpcPort;

        private final Map<String, TopicMessageType> topics = new LinkedHashMap<>();

        private final Set<String> groups = new LinkedHashSet<>();

        private Builder() {
        }

        /** Slot size of the broker's timer wheel: 100, 200, 500 or 1000 ms (default 100 ms). */
        public Builder timerPrecision(Duration timerPrecision) {
            if (!TIMER_PRECISIONS.contains(timerPrecision.toMillis())
                    || !timerPrecision.equals(Duration.ofMillis(timerPrecision.toMillis()))) {
                throw new IllegalArgumentException("Timer precision must be 100, 200, 500 or 1000 ms, was "
                    + timerPrecision.toMillis() + " ms");
            }
            this.timerPrecision = timerPrecision;
            return this;
        }

        /** Longest delay the proxy accepts for one timed message (default 1 day, as a stock proxy). */
        public Builder maxDelay(Duration maxDelay) {
            this.maxDelay = requirePositiveMaxDelay(maxDelay);
            return this;
        }

        /** Directory of the server's store, configuration and logs (default: a new temporary directory). */
        public Builder storeDir(Path storeDir) {
            this.storeDir = storeDir;
            return this;
        }

        /** Level of the server's own log, written to {@code storeDir/logs/rocketmq.log} (default WARN). */
        public Builder logLevel(String logLevel) {
            String level = logLevel.toUpperCase(Locale.ROOT);
            if (!Set.of("OFF", "ERROR", "WARN", "INFO", "DEBUG", "TRACE").contains(level)) {
                throw new IllegalArgumentException("Log level must be OFF, ERROR, WARN, INFO, DEBUG or TRACE, was "
                    + logLevel);
            }
            this.logLevel = level;
            return this;
        }

        /**
         * Longest time the proxy holds a consumer's receive request open (default 3 s; a stock proxy holds
         * it 20 s). A push consumer's {@code close()} waits for its open requests, so this bounds how long
         * closing a consumer or a Spring context takes; it does not delay deliveries.
         */
        public Builder longPollingTimeout(Duration longPollingTimeout) {
            if (longPollingTimeout.toMillis() < 1_000) {
                throw new IllegalArgumentException("Long polling timeout must be at least 1 s, was " + longPollingTimeout);
            }
            this.longPollingTimeout = longPollingTimeout;
            return this;
        }

        /**
         * How often the broker writes its timer wheel and timer checkpoint to disk (default 1 s, as a stock
         * broker). Each write compares the whole wheel, 38 MB whatever the precision, byte by byte: measured on
         * an idle server, 15.2 % of a core at 1 s and 13.5 % at 1 min. A server whose store is thrown away when it
         * stops, and which is never killed, can write rarely; a server that a test kills needs the default, since a
         * kill loses the checkpoint's progress since the last write and the broker then fires those timers again.
         */
        public Builder timerFlushInterval(Duration timerFlushInterval) {
            // The broker takes it as an int of milliseconds, so 24 days is about the most it can hold.
            if (timerFlushInterval.toMillis() < 100 || timerFlushInterval.compareTo(Duration.ofDays(24)) > 0) {
                throw new IllegalArgumentException("Timer flush interval must be between 100 ms and 24 days, was "
                    + timerFlushInterval);
            }
            this.timerFlushInterval = timerFlushInterval;
            return this;
        }

        /**
         * Turns authentication on: the proxy accepts only requests signed with this access key and secret
         * key (one super user, as {@code mqs.ons.access-key} / {@code secret-key} give them). Off by default.
         */
        public Builder authentication(String accessKey, String secretKey) {
            if (accessKey.isBlank() || secretKey.isBlank()) {
                throw new IllegalArgumentException("Access key and secret key must not be blank");
            }
            this.accessKey = accessKey;
            this.secretKey = secretKey;
            return this;
        }

        /**
         * Makes the proxy accept TLS connections only, with a self-signed certificate it generates at start (the
         * proxy's test mode). Clients connect with {@code mqs.ons.ssl-enabled=true}; rocketmq-client-java accepts
         * any certificate. Off by default: the proxy then accepts plaintext and TLS alike, and the NameServer's and
         * broker's remoting ports plaintext only (with TLS on they accept both, as a stock server does).
         */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Makes the proxy accept TLS connections only, presenting this certificate chain (PEM, its own certificate
         * first) and private key (PEM, unencrypted PKCS#8) instead of one it generates: for tests of clients that
         * verify the server ({@code mqs.ons.ssl.bundle}). Implies {@link #tls(boolean) tls(true)}.
         */
        public Builder tlsCertificate(Path certificateChain, Path privateKey) {
            this.tlsCertificate = certificateChain;
            this.tlsKey = privateKey;
            this.tls = true;
            return this;
        }

        /**
         * Makes the proxy ask its clients, in their settings, to export their own meters over OTLP to this
         * host:port (the proxy's {@code metricCollectorMode=on}); by default it asks for none.
         */
        public Builder clientMetricsCollector(String hostAndPort) {
            this.clientMetricsCollector = hostAndPort;
            return this;
        }

        /** Port of the gRPC proxy on 127.0.0.1 (default 0: a free port, chosen at the first start). */
        public Builder grpcPort(int grpcPort) {
            if (grpcPort < 0 || grpcPort > 65535) {
                throw new IllegalArgumentException("gRPC port must be between 0 and 65535, was " + grpcPort);
            }
            this.grpcPort = grpcPort;
            return this;
        }

        /** A topic to create at start, with the message type it accepts. */
        public Builder topic(String topic, TopicMessageType type) {
            this.topics.put(Objects.requireNonNull(topic, "topic"), Objects.requireNonNull(type, "type"));
            return this;
        }

        /** A consumer group to create at start (groups are also created on first use). */
        public Builder group(String group) {
            this.groups.add(Objects.requireNonNull(group, "group"));
            return this;
        }

        public EmbeddedRocketMQBroker build() {
            return new EmbeddedRocketMQBroker(this);
        }

    }

}
