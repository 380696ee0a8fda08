package io.github.onsdelay.core.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumerBuilder;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.client.apis.producer.ProducerBuilder;
import org.apache.rocketmq.client.apis.producer.TransactionChecker;
import org.apache.rocketmq.client.java.impl.ClientImpl;
import org.apache.rocketmq.client.java.impl.consumer.SimpleConsumerBuilderImpl;
import org.apache.rocketmq.client.java.impl.producer.ProducerBuilderImpl;
import org.apache.rocketmq.client.java.metrics.ClientMeterManager;
import org.apache.rocketmq.client.java.rpc.RpcClientImpl;
import org.apache.rocketmq.shaded.io.grpc.ManagedChannel;

import apache.rocketmq.v2.MessagingServiceGrpc;

/**
 * The parts of rocketmq-client-java 5.2.0 verified TLS reaches by reflection, because the client offers no
 * setting for trust.
 *
 * <ul>
 * <li>Building: a producer or simple consumer is made from its builder's settings with the client's own
 * constructor, without starting it ({@code build()} starts at once, and starting connects).</li>
 * <li>Before it starts, its table of gRPC clients becomes a {@link VerifiedRpcClientTable}, and its meter manager
 * one that never exports ({@link UnexportedClientMeters}).</li>
 * <li>Each gRPC client the table receives gets a verified channel in place of its own, before its first call.</li>
 * </ul>
 *
 * <p>Every member is looked up when this class loads; a client of another shape fails there, with a message that
 * names the member. Nothing falls back to the client's unverified channels.
 */
final class ClientInternals {

    private static final Constructor<?> PRODUCER = constructor("org.apache.rocketmq.client.java.impl.producer.ProducerImpl",
        ClientConfiguration.class, Set.class, int.class, TransactionChecker.class);

    private static final Constructor<?> SIMPLE_CONSUMER = constructor(
        "org.apache.rocketmq.client.java.impl.consumer.SimpleConsumerImpl", ClientConfiguration.class, String.class,
        Duration.class, Map.class);

    private static final Field PRODUCER_CONFIGURATION = field(ProducerBuilderImpl.class, "clientConfiguration");

    private static final Field PRODUCER_TOPICS = field(ProducerBuilderImpl.class, "topics");

    private static final Field PRODUCER_MAX_ATTEMPTS = field(ProducerBuilderImpl.class, "maxAttempts");

    private static final Field PRODUCER_CHECKER = field(ProducerBuilderImpl.class, "checker");

    private static final Field CONSUMER_CONFIGURATION = field(SimpleConsumerBuilderImpl.class, "clientConfiguration");

    private static final Field CONSUMER_GROUP = field(SimpleConsumerBuilderImpl.class, "consumerGroup");

    private static final Field CONSUMER_SUBSCRIPTION = field(SimpleConsumerBuilderImpl.class, "subscriptionExpressions");

    private static final Field CONSUMER_AWAIT = field(SimpleConsumerBuilderImpl.class, "awaitDuration");

    private static final Field CLIENT_CONFIGURATION = field(ClientImpl.class, "clientConfiguration");

    private static final Field CLIENT_MANAGER = field(ClientImpl.class, "clientManager");

    private static final Field METER_MANAGER = field(ClientImpl.class, "clientMeterManager");

    private static final Field RPC_CLIENT_TABLE = field(
        type("org.apache.rocketmq.client.java.impl.ClientManagerImpl"), "rpcClientTable");

    private static final Field RPC_CHANNEL = field(RpcClientImpl.class, "channel");

    private static final Field RPC_FUTURE_STUB = field(RpcClientImpl.class, "futureStub");

    private static final Field RPC_STUB = field(RpcClientImpl.class, "stub");

    private ClientInternals() {
    }

    /** A started producer of the builder's settings whose every channel is verified. */
    static Producer startProducer(ProducerBuilder builder, VerifiedTls tls) {
        Object configuration = require(read(PRODUCER_CONFIGURATION, builder), "clientConfiguration");
        ClientImpl producer = (ClientImpl) construct(PRODUCER, configuration, read(PRODUCER_TOPICS, builder),
            read(PRODUCER_MAX_ATTEMPTS, builder), read(PRODUCER_CHECKER, builder));
        return (Producer) start(producer, tls);
    }

    /** A started simple consumer of the builder's settings whose every channel is verified. */
    static SimpleConsumer startSimpleConsumer(SimpleConsumerBuilder builder, VerifiedTls tls) {
        Object configuration = require(read(CONSUMER_CONFIGURATION, builder), "clientConfiguration");
        Object group = require(read(CONSUMER_GROUP, builder), "consumerGroup");
        Map<?, ?> subscription = (Map<?, ?>) require(read(CONSUMER_SUBSCRIPTION, builder), "subscriptionExpressions");
        if (subscription.isEmpty()) {
            throw new IllegalStateException("subscriptionExpressions have not been set yet");
        }
        Object await = require(read(CONSUMER_AWAIT, builder), "awaitDuration");
        ClientImpl consumer = (ClientImpl) construct(SIMPLE_CONSUMER, configuration, group, await, subscription);
        return (SimpleConsumer) start(consumer, tls);
    }

    private static ClientImpl start(ClientImpl client, VerifiedTls tls) {
        Object manager = read(CLIENT_MANAGER, client);
        Map<?, ?> table = (Map<?, ?>) read(RPC_CLIENT_TABLE, manager);
        if (!table.isEmpty()) {
            throw new IllegalStateException("The RocketMQ client opened channels before it started");
        }
        write(RPC_CLIENT_TABLE, manager, new VerifiedRpcClientTable(tls));
        write(METER_MANAGER, client, new UnexportedClientMeters(client.getClientId(),
            (ClientConfiguration) read(CLIENT_CONFIGURATION, client)));
        client.startAsync().awaitRunning();
        return client;
    }

    /** Replaces the gRPC client's channel, not yet used, by a verified one; the client's own is closed unused. */
    static void verify(RpcClientImpl rpcClient, ManagedChannel verified) {
        ManagedChannel own = (ManagedChannel) read(RPC_CHANNEL, rpcClient);
        write(RPC_CHANNEL, rpcClient, verified);
        write(RPC_FUTURE_STUB, rpcClient, MessagingServiceGrpc.newFutureStub(verified));
        write(RPC_STUB, rpcClient, MessagingServiceGrpc.newStub(verified));
        own.shutdownNow();
    }

    /** Closes the channel a gRPC client was built with, never used, when it could not be verified. */
    static void close(RpcClientImpl rpcClient) {
        ((ManagedChannel) read(RPC_CHANNEL, rpcClient)).shutdownNow();
    }

    /** The client's meter manager: for the tests of this client version. */
    static ClientMeterManager meterManager(Object client) {
        return (ClientMeterManager) read(METER_MANAGER, client);
    }

    private static Object require(Object value, String what) {
        if (value == null) {
            throw new IllegalStateException(what + " has not been set yet");
        }
        return value;
    }

    private static Object read(Field field, Object target) {
        try {
            return field.get(target);
        }
        catch (IllegalAccessException ex) {
            throw new IllegalStateException(unsupported(field.getDeclaringClass().getName() + "." + field.getName()), ex);
        }
    }

    private static void write(Field field, Object target, Object value) {
        try {
            field.set(target, value);
        }
        catch (IllegalAccessException ex) {
            // The field is there: this Java refuses to set final fields by reflection (JEP 500).
            throw new IllegalStateException("mqs.ons.ssl.bundle cannot replace the RocketMQ client's unverified "
                + "channels: this Java refuses to set the final field " + field.getDeclaringClass().getName() + "."
                + field.getName() + " by reflection. Start the JVM with --enable-final-field-mutation=ALL-UNNAMED", ex);
        }
    }

    private static Object construct(Constructor<?> constructor, Object... arguments) {
        try {
            return constructor.newInstance(arguments);
        }
        catch (ReflectiveOperationException ex) {
            Throwable cause = ex.getCause() == null ? ex : ex.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(unsupported(constructor.toString()), ex);
        }
    }

    private static Class<?> type(String name) {
        try {
            return Class.forName(name, false, ClientInternals.class.getClassLoader());
        }
        catch (ClassNotFoundException ex) {
            throw new IllegalStateException(unsupported(name), ex);
        }
    }

    private static Constructor<?> constructor(String type, Class<?>... parameters) {
        try {
            Constructor<?> constructor = type(type).getDeclaredConstructor(parameters);
            constructor.setAccessible(true);
            return constructor;
        }
        catch (ReflectiveOperationException | RuntimeException ex) {
            throw new IllegalStateException(unsupported(type + " constructor"), ex);
        }
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        }
        catch (ReflectiveOperationException | RuntimeException ex) {
            throw new IllegalStateException(unsupported(type.getName() + "." + name), ex);
        }
    }

    private static String unsupported(String member) {
        return "mqs.ons.ssl.bundle cannot verify this rocketmq-client-java: it has no " + member + ", which "
            + "ons-delay reaches to replace the client's unverified channels (built for rocketmq-client-java 5.2.0). "
            + "Use rocketmq-client-java 5.2.0, or an ons-delay release made for your client's version";
    }

}
