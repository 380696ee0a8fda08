package io.github.onsdelay.embedded.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.alibaba.fastjson2.JSON;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import org.apache.rocketmq.auth.config.AuthConfig;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.broker.BrokerPathConfigHelper;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.BrokerConfig;
import org.apache.rocketmq.common.MQVersion;
import org.apache.rocketmq.common.TopicAttributes;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.attribute.TopicMessageType;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.namesrv.NamesrvConfig;
import org.apache.rocketmq.namesrv.NamesrvController;
import org.apache.rocketmq.proxy.config.Configuration;
import org.apache.rocketmq.proxy.config.ConfigurationManager;
import org.apache.rocketmq.proxy.config.ProxyConfig;
import org.apache.rocketmq.proxy.grpc.ProxyAndTlsProtocolNegotiator;
import org.apache.rocketmq.proxy.grpc.interceptor.ContextInterceptor;
import org.apache.rocketmq.proxy.grpc.interceptor.GlobalExceptionInterceptor;
import org.apache.rocketmq.proxy.grpc.interceptor.HeaderInterceptor;
import org.apache.rocketmq.proxy.grpc.v2.GrpcMessagingApplication;
import org.apache.rocketmq.proxy.metrics.ProxyMetricsManager;
import org.apache.rocketmq.proxy.processor.DefaultMessagingProcessor;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyServerConfig;
import org.apache.rocketmq.remoting.netty.TlsSystemConfig;
import org.apache.rocketmq.remoting.common.TlsMode;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;
import org.apache.rocketmq.store.config.MessageStoreConfig;

/**
 * Starts a NameServer, a Broker with its timer wheel and a gRPC proxy in LOCAL mode, all in this JVM; or, as one
 * part of a cluster, a NameServer, a Broker and a proxy in CLUSTER mode ({@code role=head}), or a Broker alone
 * that registers with the head's NameServer ({@code role=member}).
 *
 * <p>This class is loaded by a class loader of its own (see {@code ServerClassLoader} in
 * ons-delay-embedded-rocketmq) and is driven through JDK types only: a settings map in, ports and
 * strings out. One instance is one server; static state of RocketMQ lives in its class loader.
 */
public final class RocketMQServerBootstrap implements ServerControl {

    private static final String CLUSTER = "DefaultCluster";

    private static final String DEFAULT_BROKER_NAME = "embedded-broker";

    private static final long ROUTE_WAIT_MILLIS = 15_000;

    private final Path baseDir;

    private final int grpcPort;

    private final int timerPrecisionMs;

    private final long maxDelayMs;

    private final int readQueues;

    private final long longPollingMs;

    private final int timerFlushIntervalMs;

    private final String accessKey;

    private final String secretKey;

    private final boolean tls;

    private final String tlsCertPath;

    private final String tlsKeyPath;

    private final String clientMetricsCollector;

    /** single (NameServer, Broker, LOCAL proxy), head (NameServer, Broker, CLUSTER proxy) or member (Broker). */
    private final String role;

    private final String brokerName;

    private final String memberNamesrvAddress;

    private DefaultMQProducer remotingProducer;

    private NamesrvController namesrv;

    private BrokerController broker;

    private DefaultMessagingProcessor messagingProcessor;

    private GrpcMessagingApplication grpcApplication;

    private Server grpcServer;

    private ThreadPoolExecutor grpcExecutor;

    private NioEventLoopGroup grpcBossGroup;

    private NioEventLoopGroup grpcWorkerGroup;

    public RocketMQServerBootstrap(Map<String, String> settings) {
        this.baseDir = Path.of(required(settings, "baseDir"));
        this.grpcPort = Integer.parseInt(required(settings, "grpcPort"));
        this.timerPrecisionMs = Integer.parseInt(required(settings, "timerPrecisionMs"));
        this.maxDelayMs = Long.parseLong(required(settings, "maxDelayMs"));
        this.readQueues = Integer.parseInt(settings.getOrDefault("queues", "4"));
        this.longPollingMs = Long.parseLong(settings.getOrDefault("longPollingMs", "20000"));
        this.timerFlushIntervalMs = Integer.parseInt(settings.getOrDefault("timerFlushIntervalMs", "1000"));
        this.accessKey = settings.get("accessKey");
        this.secretKey = settings.get("secretKey");
        this.tls = Boolean.parseBoolean(settings.get("tls"));
        this.tlsCertPath = settings.get("tlsCertPath");
        this.tlsKeyPath = settings.get("tlsKeyPath");
        this.clientMetricsCollector = settings.get("clientMetricsCollector");
        this.role = settings.getOrDefault("role", "single");
        this.brokerName = settings.getOrDefault("brokerName", DEFAULT_BROKER_NAME);
        this.memberNamesrvAddress = settings.get("namesrvAddr");
        if ("member".equals(role) && memberNamesrvAddress == null) {
            throw new IllegalArgumentException("Missing server setting 'namesrvAddr' for a member broker");
        }
    }

    private static String required(Map<String, String> settings, String key) {
        String value = settings.get(key);
        if (value == null) {
            throw new IllegalArgumentException("Missing server setting '" + key + "'");
        }
        return value;
    }

    @Override
    public synchronized void start() throws Exception {
        System.setProperty(RemotingCommand.REMOTING_VERSION_KEY, Integer.toString(MQVersion.CURRENT_VERSION));
        Files.createDirectories(baseDir);
        // Read once by each remoting server (the NameServer's, the broker's two) when it is built. In any mode but
        // disabled, a server with no certificate configured generates a self-signed one with a fresh 2048-bit RSA
        // key pair: three per start, 60% of a start's CPU (9 of 15 s measured, with the C1-only JIT of the test
        // JVMs). No client of this library speaks TLS over remoting, so a server without TLS keeps its remoting
        // servers plaintext; one with TLS builds them permissive, as a stock server does. The proxy's mode is set
        // in startProxy.
        TlsSystemConfig.tlsMode = tls ? TlsMode.PERMISSIVE : TlsMode.DISABLED;
        if (!"member".equals(role)) {
            startNamesrv();
        }
        startBroker();
        if ("member".equals(role)) {
            broker.start();
            broker.registerBrokerAll(true, false, true);
            return;
        }
        startProxy();
        awaitBrokerRegistered();
        List<String> unknown = unknownStopWaitPlaces();
        if (!unknown.isEmpty()) {
            System.getLogger(RocketMQServerBootstrap.class.getName()).log(System.Logger.Level.WARNING,
                "Embedded RocketMQ " + version() + ": the fast stop does not find " + unknown + " in this version; "
                    + "stop() will wait out those threads' poll intervals as RocketMQ's own stop does (up to 20 s)");
        }
    }

    @Override
    public String version() {
        return MQVersion.getVersionDesc(MQVersion.CURRENT_VERSION);
    }

    @Override
    public List<String> unknownStopWaitPlaces() {
        return ShutdownNudger.unknownPlaces(getClass().getClassLoader());
    }

    private void startNamesrv() throws Exception {
        NamesrvConfig config = new NamesrvConfig();
        config.setRocketmqHome(baseDir.toString());
        config.setKvConfigPath(baseDir.resolve("namesrv/kvConfig.json").toString());
        config.setConfigStorePath(baseDir.resolve("namesrv/namesrv.properties").toString());
        NettyServerConfig server = new NettyServerConfig();
        server.setBindAddress("127.0.0.1");
        server.setListenPort(0);
        namesrv = new NamesrvController(config, server, new NettyClientConfig());
        if (!namesrv.initialize()) {
            throw new IllegalStateException("NameServer failed to initialize");
        }
        namesrv.start();
    }

    private String namesrvAddressInternal() {
        if (namesrv == null) {
            return memberNamesrvAddress;
        }
        return "127.0.0.1:" + namesrv.getRemotingServer().localListenPort();
    }

    private void startBroker() throws Exception {
        Path store = baseDir.resolve("store");
        BrokerPathConfigHelper.setBrokerConfigPath(store.resolve("config/broker.properties").toString());

        BrokerConfig config = new BrokerConfig();
        config.setRocketmqHome(baseDir.toString());
        config.setBrokerClusterName(CLUSTER);
        config.setBrokerName(brokerName);
        config.setBrokerIP1("127.0.0.1");
        config.setNamesrvAddr(namesrvAddressInternal());
        config.setEnablePropertyFilter(true);
        // Groups are created on first use, as on a default broker; topics are created explicitly.
        config.setAutoCreateSubscriptionGroup(true);
        config.setAutoCreateTopicEnable(false);
        // Off by default on a broker; on here, so that a cancelled message can be taken back before it is due.
        config.setRecallMessageEnable(true);
        // The broker's TransactionMetricsFlushService spins without sleeping until this interval has passed since
        // its start (it waits only after its first write): 3 s of a whole core at every start by default. Written
        // every half second instead, the spin is short and the writes (a small file) cost nothing measurable.
        config.setTransactionMetricFlushInterval(500);

        NettyServerConfig server = new NettyServerConfig();
        server.setBindAddress("127.0.0.1");
        server.setListenPort(0);

        MessageStoreConfig storeConfig = new MessageStoreConfig();
        storeConfig.setStorePathRootDir(store.toString());
        storeConfig.setStorePathCommitLog(store.resolve("commitlog").toString());
        storeConfig.setMappedFileSizeCommitLog(64 * 1024 * 1024);
        storeConfig.setMappedFileSizeConsumeQueue(100_000 * 20);
        storeConfig.setMappedFileSizeTimerLog(16 * 1024 * 1024);
        storeConfig.setTimerWheelEnable(true);
        storeConfig.setTimerPrecisionMs(timerPrecisionMs);
        storeConfig.setTimerFlushIntervalMs(timerFlushIntervalMs);
        storeConfig.setHaListenPort(0);

        AuthConfig authConfig = new AuthConfig();
        authConfig.setConfigName(brokerName);
        authConfig.setClusterName(CLUSTER);
        authConfig.setAuthConfigPath(store.resolve("config").toString());
        if (accessKey != null) {
            // The broker keeps the user in its own metadata store; the proxy asks it (see startProxy).
            authConfig.setAuthenticationMetadataProvider(
                "org.apache.rocketmq.auth.authentication.provider.LocalAuthenticationMetadataProvider");
            Map<String, String> user = new HashMap<>();
            user.put("username", accessKey);
            user.put("password", secretKey);
            authConfig.setInitAuthenticationUser(JSON.toJSONString(user));
        }

        broker = new BrokerController(config, server, new NettyClientConfig(), storeConfig, authConfig);
        if (!broker.initialize()) {
            broker.shutdown();
            throw new IllegalStateException("Broker failed to initialize (store " + store + ")");
        }
    }

    private void startProxy() throws Exception {
        boolean cluster = "head".equals(role);
        Map<String, Object> proxy = new HashMap<>();
        proxy.put("rocketMQClusterName", CLUSTER);
        proxy.put("proxyMode", cluster ? "CLUSTER" : "LOCAL");
        // Routes are read again within a second (20 s by default): a topic created while clients run, or a broker
        // of a cluster that stopped or came back on a new port, is seen at once rather than up to 20 s later.
        proxy.put("topicRouteServiceCacheRefreshSeconds", 1);
        proxy.put("topicRouteServiceCacheExpiredSeconds", 3);
        proxy.put("grpcServerPort", grpcPort);
        // Routes name the address and port each client connected to, so that a TCP proxy in between (the tests'
        // fault proxy) stays in between; see ClientAddressedMessagingProcessor for local mode.
        proxy.put("useEndpointPortFromRequest", true);
        proxy.put("namesrvAddr", namesrvAddressInternal());
        proxy.put("localServeAddr", "127.0.0.1");
        proxy.put("maxDelayTimeMills", maxDelayMs);
        proxy.put("grpcShutdownTimeSeconds", 1);
        proxy.put("enablePrintJstack", false);
        proxy.put("grpcClientConsumerMinLongPollingTimeoutMillis", Math.min(longPollingMs, 5_000));
        proxy.put("grpcClientConsumerMaxLongPollingTimeoutMillis", longPollingMs);
        if (accessKey != null) {
            proxy.put("authenticationEnabled", true);
            proxy.put("authenticationProvider",
                "org.apache.rocketmq.auth.authentication.provider.DefaultAuthenticationProvider");
            proxy.put("authenticationMetadataProvider", "org.apache.rocketmq.proxy.auth.ProxyAuthenticationMetadataProvider");
        }
        if (tlsCertPath != null && tlsKeyPath != null) {
            // The given certificate instead of a self-signed one made at start (the proxy's test mode).
            proxy.put("tlsTestModeEnable", false);
            proxy.put("tlsCertPath", tlsCertPath);
            proxy.put("tlsKeyPath", tlsKeyPath);
        }
        if (clientMetricsCollector != null) {
            proxy.put("metricCollectorMode", "on");
            proxy.put("metricCollectorAddress", clientMetricsCollector);
        }
        Path proxyConfigFile = baseDir.resolve("proxy/rmq-proxy.json");
        Files.createDirectories(proxyConfigFile.getParent());
        Files.writeString(proxyConfigFile, JSON.toJSONString(proxy), StandardCharsets.UTF_8);
        initProxyConfiguration(proxyConfigFile);

        ProxyConfig proxyConfig = ConfigurationManager.getProxyConfig();
        if (cluster) {
            // The proxy reaches every broker of the cluster through the NameServer, as a client of theirs.
            broker.start();
            // The proxy syncs client heartbeats with other proxies through a topic it creates where the broker's
            // auto-create template topic is; topics are not auto-created here, so it is created beforehand.
            broker.getTopicConfigManager().updateTopicConfig(new TopicConfig(proxyConfig.getHeartbeatSyncerTopicName(),
                1, 1));
            awaitRoute(proxyConfig.getHeartbeatSyncerTopicName());
            messagingProcessor = DefaultMessagingProcessor.createForClusterMode();
        }
        else {
            ProxyMetricsManager.initLocalMode(broker.getBrokerMetricsManager(), proxyConfig);
            broker.start();
            messagingProcessor = ClientAddressedMessagingProcessor.forLocalMode(broker);
        }
        grpcApplication = GrpcMessagingApplication.create(messagingProcessor);
        grpcExecutor = new ThreadPoolExecutor(proxyConfig.getGrpcThreadPoolNums(), proxyConfig.getGrpcThreadPoolNums(),
            1, TimeUnit.MINUTES, new ArrayBlockingQueue<>(proxyConfig.getGrpcThreadPoolQueueCapacity()),
            daemonThreads("EmbeddedGrpcExecutor"));
        grpcBossGroup = new NioEventLoopGroup(1);
        grpcWorkerGroup = new NioEventLoopGroup(proxyConfig.getGrpcWorkerLoopNum());
        // Started while the mode is not yet enforcing: a CLUSTER-mode processor's remoting clients (to the brokers)
        // read it when built, at this start, and would otherwise speak TLS to brokers that accept plaintext only.
        messagingProcessor.start();
        // The negotiator reads the mode for each new connection (a static of this server's own class loader). The
        // broker's and NameServer's remoting servers read it once, when built: they stay as they were.
        // Permissive (the default) accepts plaintext and TLS alike; enforcing refuses plaintext.
        TlsSystemConfig.tlsMode = tls ? TlsMode.ENFORCING : TlsMode.PERMISSIVE;
        // Built here rather than by the proxy's GrpcServerBuilder, which listens on every interface. The
        // negotiator's certificate is self-signed, generated at start (the proxy's tlsTestModeEnable, on by default).
        grpcServer = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), grpcPort))
            .protocolNegotiator(new ProxyAndTlsProtocolNegotiator())
            .bossEventLoopGroup(grpcBossGroup)
            .workerEventLoopGroup(grpcWorkerGroup)
            .channelType(NioServerSocketChannel.class)
            .executor(grpcExecutor)
            .maxInboundMessageSize(proxyConfig.getGrpcMaxInboundMessageSize())
            .maxConnectionIdle(proxyConfig.getGrpcClientIdleTimeMills(), TimeUnit.MILLISECONDS)
            .addService(grpcApplication)
            .intercept(new GlobalExceptionInterceptor())
            .intercept(new ContextInterceptor())
            .intercept(new HeaderInterceptor())
            .build();
        grpcApplication.start();
        grpcServer.start();
    }

    /** The proxy reads its configuration from a file named by a JVM-wide property: set it only while reading. */
    private static void initProxyConfiguration(Path file) throws Exception {
        synchronized (System.class) {
            String previous = System.getProperty(Configuration.CONFIG_PATH_PROPERTY);
            System.setProperty(Configuration.CONFIG_PATH_PROPERTY, file.toString());
            try {
                ConfigurationManager.initEnv();
                readProxyConfiguration();
            }
            finally {
                if (previous == null) {
                    System.clearProperty(Configuration.CONFIG_PATH_PROPERTY);
                }
                else {
                    System.setProperty(Configuration.CONFIG_PATH_PROPERTY, previous);
                }
            }
        }
    }

    /**
     * {@code ConfigurationManager.intConfig()} in 5.3, renamed {@code initConfig()} in 5.5: called by name, so that
     * this class runs on both lines. Every embedded server's start goes through here, so a line where neither
     * exists fails every embedded test, with this message.
     */
    private static void readProxyConfiguration() throws Exception {
        java.lang.reflect.Method read;
        try {
            read = ConfigurationManager.class.getMethod("initConfig");
        }
        catch (NoSuchMethodException renamed) {
            try {
                read = ConfigurationManager.class.getMethod("intConfig");
            }
            catch (NoSuchMethodException neither) {
                throw new IllegalStateException("This RocketMQ proxy (" + MQVersion.getVersionDesc(
                    MQVersion.CURRENT_VERSION) + ") has neither ConfigurationManager.initConfig() nor intConfig(): "
                    + "the embedded server supports the 5.3 and 5.5 lines", neither);
            }
        }
        try {
            read.invoke(null);
        }
        catch (java.lang.reflect.InvocationTargetException failed) {
            throw failed.getCause() instanceof Exception cause ? cause : failed;
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private void awaitBrokerRegistered() throws InterruptedException {
        long deadline = System.currentTimeMillis() + ROUTE_WAIT_MILLIS;
        while (namesrv.getRouteInfoManager().getAllClusterInfo().getBrokerAddrTable().isEmpty()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("Broker did not register with the NameServer within "
                    + ROUTE_WAIT_MILLIS + " ms");
            }
            broker.registerBrokerAll(true, false, true);
            Thread.sleep(50);
        }
    }

    @Override
    public synchronized void createTopic(String topic, String messageType) throws InterruptedException {
        TopicMessageType type = TopicMessageType.valueOf(messageType);
        TopicConfig config = new TopicConfig(topic, readQueues, readQueues);
        Map<String, String> attributes = new HashMap<>();
        attributes.put("+" + TopicAttributes.TOPIC_MESSAGE_TYPE_ATTRIBUTE.getName(), type.getValue());
        config.setAttributes(attributes);
        config.setOrder(type == TopicMessageType.FIFO);
        broker.getTopicConfigManager().updateTopicConfig(config);
        awaitRoute(topic);
    }

    private void awaitRoute(String topic) throws InterruptedException {
        if (namesrv == null) {
            // A member: the head waits until the route shows every broker.
            broker.registerBrokerAll(true, false, true);
            return;
        }
        long deadline = System.currentTimeMillis() + ROUTE_WAIT_MILLIS;
        while (true) {
            broker.registerBrokerAll(true, false, true);
            TopicRouteData route = namesrv.getRouteInfoManager().pickupTopicRouteData(topic);
            if (route != null && !route.getQueueDatas().isEmpty()) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("Route of topic '" + topic + "' not visible within "
                    + ROUTE_WAIT_MILLIS + " ms");
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void maxDelay(long millis) {
        // The proxy reads it at every send (validateDelayTime), so a change applies at once.
        ConfigurationManager.getProxyConfig().setMaxDelayTimeMills(millis);
    }

    @Override
    public synchronized void createGroup(String group, boolean fifo, int retryMaxTimes) {
        SubscriptionGroupConfig config = new SubscriptionGroupConfig();
        config.setGroupName(group);
        config.setConsumeMessageOrderly(fifo);
        if (retryMaxTimes >= 0) {
            config.setRetryMaxTimes(retryMaxTimes);
        }
        broker.getSubscriptionGroupManager().updateSubscriptionGroupConfig(config);
    }

    @Override
    public synchronized long storedMessages(String topic) throws Exception {
        TopicConfig config = broker.getTopicConfigManager().selectTopicConfig(topic);
        long stored = 0;
        for (int queue = 0; config != null && queue < config.getWriteQueueNums(); queue++) {
            stored += broker.getMessageStore().getMaxOffsetInQueue(topic, queue);
        }
        return stored;
    }

    @Override
    public synchronized int brokersServing(String topic) {
        if (namesrv == null) {
            return 0;
        }
        TopicRouteData route = namesrv.getRouteInfoManager().pickupTopicRouteData(topic);
        return route == null ? 0 : route.getBrokerDatas().size();
    }

    @Override
    public synchronized String topicMessageType(String topic) {
        TopicConfig config = broker.getTopicConfigManager().selectTopicConfig(topic);
        return config == null ? null : config.getTopicMessageType().name();
    }

    @Override
    public String namesrvAddress() {
        return namesrvAddressInternal();
    }

    @Override
    public synchronized String sendWithRemotingClient(String topic, String tag, String keys, byte[] body,
            Map<String, String> properties, Map<String, Long> timer) throws Exception {
        if (remotingProducer == null) {
            DefaultMQProducer producer = new DefaultMQProducer("ons-delay-embedded-remoting");
            producer.setNamesrvAddr(namesrvAddressInternal());
            producer.setInstanceName("ons-delay-embedded-remoting-" + grpcPort);
            producer.start();
            remotingProducer = producer;
        }
        Message message = new Message(topic, tag, keys, body);
        properties.forEach(message::putUserProperty);
        if (timer.containsKey("deliverTimeMs")) {
            message.setDeliverTimeMs(timer.get("deliverTimeMs"));
        }
        if (timer.containsKey("delayTimeSec")) {
            message.setDelayTimeSec(timer.get("delayTimeSec"));
        }
        if (timer.containsKey("delayTimeMs")) {
            message.setDelayTimeMs(timer.get("delayTimeMs"));
        }
        if (timer.containsKey("delayLevel")) {
            message.setDelayTimeLevel(timer.get("delayLevel").intValue());
        }
        SendResult result = remotingProducer.send(message);
        if (result.getSendStatus() != SendStatus.SEND_OK) {
            throw new IllegalStateException("Remoting send to " + topic + " ended " + result.getSendStatus());
        }
        return result.getMsgId();
    }

    @Override
    public synchronized void shutdown() {
        ShutdownNudger nudger = new ShutdownNudger(Thread.currentThread(), getClass().getClassLoader());
        nudger.start();
        try {
            shutdownInOrder();
        }
        finally {
            nudger.finish();
        }
    }

    private void shutdownInOrder() {
        if (remotingProducer != null) {
            DefaultMQProducer producer = remotingProducer;
            remotingProducer = null;
            shutdownQuietly(producer::shutdown);
        }
        if (grpcServer != null) {
            Server server = grpcServer;
            shutdownQuietly(() -> {
                if (!server.shutdown().awaitTermination(1, TimeUnit.SECONDS)) {
                    server.shutdownNow().awaitTermination(1, TimeUnit.SECONDS);
                }
            });
        }
        // gRPC does not close event loops it was given: without this, clients' connections (and their
        // telemetry streams) would stay open to the stopped proxy, and after a restart the new proxy would
        // not know their settings.
        for (NioEventLoopGroup group : new NioEventLoopGroup[] {grpcBossGroup, grpcWorkerGroup}) {
            if (group != null) {
                shutdownQuietly(() -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(3, TimeUnit.SECONDS));
            }
        }
        grpcBossGroup = null;
        grpcWorkerGroup = null;
        if (grpcApplication != null) {
            shutdownQuietly(grpcApplication::shutdown);
        }
        if (messagingProcessor != null) {
            shutdownQuietly(messagingProcessor::shutdown);
        }
        if (grpcExecutor != null) {
            grpcExecutor.shutdownNow();
        }
        if (broker != null) {
            broker.shutdown();
        }
        if (namesrv != null) {
            namesrv.shutdown();
        }
        grpcServer = null;
        grpcApplication = null;
        messagingProcessor = null;
        broker = null;
        namesrv = null;
    }

    /**
     * Cuts RocketMQ's own stop short where it only waits out a timer: a graceful stop of the parts, one after
     * another, joins service threads that sleep out their poll interval (3 s for each remoting event
     * executor, the revive and pop buffer services' intervals) and sleeps 3 s in the message store after every
     * writer is gone: 12-20 s in all, 1.5-3.5 s with this. While the stop runs, this wakes, by interrupting, only threads of this server
     * that wait in one of those known places, never one that writes the store.
     */
    private static final class ShutdownNudger extends Thread {

        private static final java.util.Set<String> WAKEABLE = java.util.Set.of(
            "org.apache.rocketmq.remoting.netty.NettyRemotingAbstract$NettyEventExecutor.run",
            "org.apache.rocketmq.broker.processor.PopReviveService.consumeReviveMessage",
            "org.apache.rocketmq.broker.processor.PopReviveService.run",
            "org.apache.rocketmq.broker.processor.PopBufferMergeService.run");

        private static final java.util.Set<String> WAIT_HELPERS = java.util.Set.of(
            "org.apache.rocketmq.common.CountDownLatch2.await",
            "org.apache.rocketmq.common.ServiceThread.waitForRunning");

        private static final String STORE_SLEEP = "org.apache.rocketmq.store.DefaultMessageStore.shutdown";

        private final Thread stopper;

        private final ClassLoader serverLoader;

        private volatile boolean finished;

        ShutdownNudger(Thread stopper, ClassLoader serverLoader) {
            super("ons-delay-embedded-shutdown-nudger");
            setDaemon(true);
            this.stopper = stopper;
            this.serverLoader = serverLoader;
        }

        @Override
        public void run() {
            while (!finished) {
                for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
                    Thread thread = entry.getKey();
                    if (thread.getState() == State.TIMED_WAITING && isServerThread(thread)
                            && isWakeable(thread, entry.getValue())) {
                        thread.interrupt();
                    }
                }
                try {
                    Thread.sleep(25);
                }
                catch (InterruptedException ex) {
                    return;
                }
            }
        }

        private boolean isServerThread(Thread thread) {
            return thread == stopper || thread.getContextClassLoader() == serverLoader;
        }

        /** Whether the thread waits (in RocketMQ's own wait helpers, if at all) directly inside a wakeable place. */
        private boolean isWakeable(Thread thread, StackTraceElement[] stack) {
            for (StackTraceElement frame : stack) {
                if (!frame.getClassName().startsWith("org.apache.rocketmq.")) {
                    continue;
                }
                String where = frame.getClassName() + "." + frame.getMethodName();
                if (WAIT_HELPERS.contains(where)) {
                    continue;
                }
                // The stopper's own sleep in the message store, after every writer has stopped.
                return thread == stopper ? where.equals(STORE_SLEEP) : WAKEABLE.contains(where);
            }
            return false;
        }

        /** The places this looks for that the server's classes do not have (by class and method name). */
        static List<String> unknownPlaces(ClassLoader serverLoader) {
            List<String> unknown = new java.util.ArrayList<>();
            java.util.Set<String> places = new java.util.TreeSet<>(WAKEABLE);
            places.addAll(WAIT_HELPERS);
            places.add(STORE_SLEEP);
            for (String place : places) {
                int dot = place.lastIndexOf('.');
                String method = place.substring(dot + 1);
                try {
                    Class<?> type = Class.forName(place.substring(0, dot), false, serverLoader);
                    if (java.util.Arrays.stream(type.getDeclaredMethods()).noneMatch(m -> m.getName().equals(method))) {
                        unknown.add(place);
                    }
                }
                catch (ClassNotFoundException | LinkageError missing) {
                    unknown.add(place);
                }
            }
            return unknown;
        }

        void finish() {
            finished = true;
            interrupt();
            // The stopper must not keep an interrupt meant for a sleep it already left.
            Thread.interrupted();
        }

    }

    private interface Step {
        void run() throws Exception;
    }

    private static void shutdownQuietly(Step step) {
        try {
            step.run();
        }
        catch (Exception ex) {
            // The remaining parts must still be stopped; the caller sees the store flushed by broker.shutdown().
            System.getLogger(RocketMQServerBootstrap.class.getName())
                .log(System.Logger.Level.WARNING, "Embedded proxy part failed to stop", ex);
        }
    }
}
