package io.github.onsdelay.core.internal;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedTrustManager;

import org.apache.rocketmq.client.java.route.Endpoints;
import org.apache.rocketmq.client.java.rpc.IpNameResolverFactory;
import org.apache.rocketmq.client.java.rpc.LoggingInterceptor;
import org.apache.rocketmq.shaded.grpc.netty.GrpcSslContexts;
import org.apache.rocketmq.shaded.grpc.netty.NettyChannelBuilder;
import org.apache.rocketmq.shaded.io.grpc.ManagedChannel;
import org.apache.rocketmq.shaded.io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import org.apache.rocketmq.shaded.io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import org.apache.rocketmq.shaded.io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;

/**
 * The verified TLS of {@code mqs.ons.ssl.bundle}: builds the gRPC channels that replace rocketmq-client-java's own.
 *
 * <ul>
 * <li>Trust is the bundle's: the proxy's certificate must chain to it, and must carry the endpoint's host (gRPC
 * turns the HTTPS host name check on), or {@code mqs.ons.ssl.server-name} when that is set.</li>
 * <li>The bundle's key, when it has one, is the client's certificate; its protocols and ciphers apply.</li>
 * <li>A certificate that fails either check fails the handshake with a message naming the bundle, the proxy and
 * the reason: that message is what a failed start or send reports.</li>
 * <li>Each channel has the settings of the client's own (connect timeout, keep-alive, no gRPC retry, the client's
 * logging interceptor and its resolver for addresses), so that nothing but trust differs.</li>
 * </ul>
 */
public final class VerifiedTls {

    // The client's own channel settings (rocketmq-client-java 5.2.0's RpcClientImpl).
    private static final int CONNECT_TIMEOUT_MILLIS = 3_000;

    private static final long KEEP_ALIVE_TIME_MILLIS = 300_000;

    private static final long KEEP_ALIVE_TIMEOUT_MILLIS = 30_000;

    private final String bundleName;

    private final @Nullable String serverName;

    private final SslContext sslContext;

    private VerifiedTls(String bundleName, @Nullable String serverName, SslContext sslContext) {
        this.bundleName = bundleName;
        this.serverName = serverName;
        this.sslContext = sslContext;
    }

    /**
     * @throws IllegalArgumentException when the bundle has no X.509 trust, or its protocols or ciphers cannot
     *     be used; the message names the bundle
     */
    public static VerifiedTls of(String bundleName, SslBundle bundle, @Nullable String serverName) {
        if (serverName != null && !serverName.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\]")) {
            throw new IllegalArgumentException("mqs.ons.ssl.server-name=" + serverName + " is not a host name: give "
                + "the name the proxy's certificate carries, such as mq.internal.example.com");
        }
        if (bundle.getStores().getTrustStore() == null) {
            // Without one, the JDK's default trust (its public CAs) would verify the proxy: not what was asked for.
            throw new IllegalArgumentException("SSL bundle '" + bundleName + "' (mqs.ons.ssl.bundle) has no "
                + "truststore: give it the certificate of the CA that issued the proxy's (truststore.certificate, "
                + "or a truststore location)");
        }
        X509ExtendedTrustManager trust = Arrays.stream(bundle.getManagers().getTrustManagers())
            .filter(X509ExtendedTrustManager.class::isInstance).map(X509ExtendedTrustManager.class::cast)
            .findFirst().orElseThrow(() -> new IllegalArgumentException("SSL bundle '" + bundleName
                + "' (mqs.ons.ssl.bundle) has no X.509 trust: give it a truststore or truststore certificates"));
        try {
            // The TLS engine the client's own channels use (the OpenSSL it carries, else the JDK's): only trust differs.
            SslContextBuilder builder = GrpcSslContexts.forClient()
                .trustManager(new NamingTrustManager(trust, bundleName, serverName));
            if (bundle.getStores().getKeyStore() != null) {
                builder.keyManager(bundle.getManagers().getKeyManagerFactory());
            }
            SslOptions options = bundle.getOptions();
            if (options.getEnabledProtocols() != null) {
                builder.protocols(options.getEnabledProtocols());
            }
            if (options.getCiphers() != null) {
                builder.ciphers(List.of(options.getCiphers()));
            }
            return new VerifiedTls(bundleName, serverName, builder.build());
        }
        catch (SSLException | RuntimeException ex) {
            throw new IllegalArgumentException("SSL bundle '" + bundleName + "' (mqs.ons.ssl.bundle) cannot be used "
                + "for TLS to the proxy: " + ex.getMessage(), ex);
        }
    }

    /** The bundle, as error messages name it. */
    public String bundleName() {
        return bundleName;
    }

    /** A new channel to the endpoints, unconnected: it connects, and verifies, at its first call. */
    ManagedChannel channel(Endpoints endpoints) {
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(endpoints.getGrpcTarget())
            .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
            .keepAliveTime(KEEP_ALIVE_TIME_MILLIS, TimeUnit.MILLISECONDS)
            .keepAliveTimeout(KEEP_ALIVE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
            .keepAliveWithoutCalls(true)
            .maxInboundMessageSize(Integer.MAX_VALUE)
            .sslContext(sslContext);
        builder.intercept(LoggingInterceptor.getInstance());
        builder.disableRetry();
        List<InetSocketAddress> addresses = endpoints.toSocketAddresses();
        if (addresses != null) {
            builder.nameResolverFactory(new IpNameResolverFactory(addresses));
        }
        // The name the certificate is checked against (and the TLS server name). The client's resolver for
        // addresses names every channel "IPAuthority"; an address is checked as itself instead: the first one,
        // where the endpoints are several addresses.
        if (serverName != null) {
            builder.overrideAuthority(serverName);
        }
        else if (addresses != null && !addresses.isEmpty()) {
            InetSocketAddress first = addresses.get(0);
            String host = first.getHostString();
            builder.overrideAuthority((host.contains(":") ? "[" + host + "]" : host) + ":" + first.getPort());
        }
        return builder.build();
    }

    /**
     * The bundle's trust, whose refusals say which bundle refused which proxy, and why. The handshake failure
     * carries the refusal (as its message with the JDK's engine, as its cause with OpenSSL's); the original is kept
     * as a suppressed exception rather than as the cause, because error reports show the most specific cause's
     * message.
     */
    private static final class NamingTrustManager extends X509ExtendedTrustManager {

        private interface Check {

            void run() throws CertificateException;

        }

        private final X509ExtendedTrustManager delegate;

        private final String bundleName;

        private final @Nullable String serverName;

        NamingTrustManager(X509ExtendedTrustManager delegate, String bundleName, @Nullable String serverName) {
            this.delegate = delegate;
            this.bundleName = bundleName;
            this.serverName = serverName;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(() -> delegate.checkServerTrusted(chain, authType, engine),
                engine.getPeerHost() + (engine.getPeerPort() > 0 ? ":" + engine.getPeerPort() : ""), chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(() -> delegate.checkServerTrusted(chain, authType, socket),
                String.valueOf(socket.getRemoteSocketAddress()), chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(() -> delegate.checkServerTrusted(chain, authType), "the proxy", chain);
        }

        /** The bundle's check, whose refusal is given again in words that name the bundle and the proxy. */
        private void check(Check check, String peer, X509Certificate[] chain) throws CertificateException {
            try {
                check.run();
            }
            catch (CertificateException ex) {
                throw refused(ex, peer, chain);
            }
        }

        private CertificateException refused(CertificateException cause, String peer, X509Certificate[] chain) {
            String subject = chain.length == 0 ? "no certificate" : chain[0].getSubjectX500Principal().getName();
            CertificateException refused = new CertificateException("SSL bundle '" + bundleName
                + "' (mqs.ons.ssl.bundle) does not trust the proxy at " + peer
                + (serverName == null ? "" : " (mqs.ons.ssl.server-name)")
                + ", whose certificate is " + subject + ": " + cause.getMessage() + ". Give the bundle the "
                + "certificate of the CA that issued the proxy's, and connect by a name or address the certificate "
                + "carries (or set mqs.ons.ssl.server-name to one)");
            refused.addSuppressed(cause);
            return refused;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }

    }

}
