package io.github.onsdelay.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Map;

import apache.rocketmq.v2.Address;
import apache.rocketmq.v2.AddressScheme;
import apache.rocketmq.v2.Endpoints;
import io.github.onsdelay.test.TestCertificates;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.client.java.metrics.ClientMeterManager;
import org.apache.rocketmq.client.java.metrics.Metric;
import org.apache.rocketmq.shaded.io.grpc.ManagedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * The reflection verified TLS relies on, against the rocketmq-client-java this build uses: a client of another
 * shape fails these tests (and {@code ClientInternals} refuses it, naming the member it lacks). A producer with no
 * topics starts without contacting the server: nothing listens at its endpoint.
 */
class VerifiedTlsClientServiceProviderTests {

    @TempDir
    Path directory;

    private VerifiedTlsClientServiceProvider provider() {
        TestCertificates certificates = TestCertificates.issue(directory, "unit");
        SslBundle bundle = SslBundle.of(new PemSslStoreBundle(null,
            PemSslStoreDetails.forCertificate("file:" + certificates.caCertificate())));
        return new VerifiedTlsClientServiceProvider(ClientServiceProvider.loadService(),
            VerifiedTls.of("unit", bundle, null));
    }

    private static ClientConfiguration configuration() {
        return ClientConfiguration.newBuilder().setEndpoints("127.0.0.1:1").enableSsl(true).build();
    }

    @Test
    void aProducerStartsWithTheVerifyingTableAndMetersThatNeverExport() throws Exception {
        try (Producer producer = provider().newProducerBuilder().setClientConfiguration(configuration())
                .setMaxAttempts(1).build()) {
            Object manager = field(producer, "clientManager");
            assertThat(field(manager, "rpcClientTable")).isInstanceOf(VerifiedRpcClientTable.class);
            ClientMeterManager meters = ClientInternals.meterManager(producer);
            assertThat(meters).isInstanceOf(UnexportedClientMeters.class);
            meters.reset(metricOn());
            assertThat(meters.isEnabled()).isFalse();
        }
    }

    @Test
    void theClientsOwnMeterManagerExportsWhenAskedWhichIsWhyItIsReplaced() throws Exception {
        try (Producer producer = ClientServiceProvider.loadService().newProducerBuilder()
                .setClientConfiguration(configuration()).build()) {
            ClientMeterManager meters = ClientInternals.meterManager(producer);
            meters.reset(metricOn());
            assertThat(meters.isEnabled()).isTrue();
        }
    }

    @Test
    void aChannelAddedToTheTableIsReplacedByAVerifiedOne() throws Exception {
        try (Producer producer = provider().newProducerBuilder().setClientConfiguration(configuration()).build()) {
            Object manager = field(producer, "clientManager");
            @SuppressWarnings("unchecked")
            Map<Object, Object> table = (Map<Object, Object>) field(manager, "rpcClientTable");
            org.apache.rocketmq.client.java.route.Endpoints endpoints =
                new org.apache.rocketmq.client.java.route.Endpoints("127.0.0.1:1");
            org.apache.rocketmq.client.java.rpc.RpcClientImpl rpcClient =
                new org.apache.rocketmq.client.java.rpc.RpcClientImpl(endpoints, true);
            ManagedChannel own = (ManagedChannel) field(rpcClient, "channel");
            assertThat(own.authority()).isEqualTo("IPAuthority");
            table.put(endpoints, rpcClient);
            ManagedChannel replaced = (ManagedChannel) field(rpcClient, "channel");
            assertThat(replaced).isNotSameAs(own);
            // Checked against the address itself, where the client's own channel names every address "IPAuthority".
            assertThat(replaced.authority()).isEqualTo("127.0.0.1:1");
            assertThat(own.isShutdown()).isTrue();
        }
    }

    @Test
    void theTableRefusesEveryWayOfAddingButPut() throws Exception {
        try (Producer producer = provider().newProducerBuilder().setClientConfiguration(configuration()).build()) {
            @SuppressWarnings("unchecked")
            Map<Object, Object> table = (Map<Object, Object>) field(field(producer, "clientManager"), "rpcClientTable");
            org.apache.rocketmq.client.java.route.Endpoints endpoints =
                new org.apache.rocketmq.client.java.route.Endpoints("127.0.0.1:2");
            Object rpcClient = new org.apache.rocketmq.client.java.rpc.RpcClientImpl(endpoints, true);
            assertThatExceptionOfType(UnsupportedOperationException.class)
                .isThrownBy(() -> table.putIfAbsent(endpoints, rpcClient));
            assertThatExceptionOfType(UnsupportedOperationException.class)
                .isThrownBy(() -> table.computeIfAbsent(endpoints, key -> rpcClient));
            assertThatExceptionOfType(UnsupportedOperationException.class)
                .isThrownBy(() -> table.putAll(Map.of(endpoints, rpcClient)));
            assertThat(table).isEmpty();
        }
    }

    @Test
    void anIpv6AddressIsCheckedAsItself() throws Exception {
        try (Producer producer = provider().newProducerBuilder().setClientConfiguration(configuration()).build()) {
            @SuppressWarnings("unchecked")
            Map<Object, Object> table = (Map<Object, Object>) field(field(producer, "clientManager"), "rpcClientTable");
            org.apache.rocketmq.client.java.route.Endpoints endpoints = new org.apache.rocketmq.client.java.route.Endpoints(
                apache.rocketmq.v2.Endpoints.newBuilder().setScheme(AddressScheme.IPv6)
                    .addAddresses(Address.newBuilder().setHost("::1").setPort(8081)).build());
            org.apache.rocketmq.client.java.rpc.RpcClientImpl rpcClient =
                new org.apache.rocketmq.client.java.rpc.RpcClientImpl(endpoints, true);
            table.put(endpoints, rpcClient);
            assertThat(((ManagedChannel) field(rpcClient, "channel")).authority()).isEqualTo("[0:0:0:0:0:0:0:1]:8081");
        }
    }

    @Test
    void simpleConsumerBuildersCheckTheirSettingsAsTheClientsOwnDo() {
        assertThatExceptionOfType(IllegalStateException.class)
            .isThrownBy(() -> provider().newSimpleConsumerBuilder().setClientConfiguration(configuration()).build())
            .withMessageContaining("consumerGroup has not been set yet");
    }

    @Test
    void pushConsumersAreRefusedRatherThanBuiltUnverified() {
        assertThatExceptionOfType(UnsupportedOperationException.class)
            .isThrownBy(() -> provider().newPushConsumerBuilder())
            .withMessageContaining("SSL bundle 'unit' (mqs.ons.ssl.bundle)");
    }

    private static Metric metricOn() {
        return new Metric(apache.rocketmq.v2.Metric.newBuilder().setOn(true).setEndpoints(Endpoints.newBuilder()
            .setScheme(AddressScheme.IPv4).addAddresses(Address.newBuilder().setHost("127.0.0.1").setPort(1)))
            .build());
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (field.getName().equals(name)) {
                    field.setAccessible(true);
                    return field.get(target);
                }
            }
        }
        throw new NoSuchFieldException(name);
    }

}
