package io.github.onsdelay.core.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Connection to RocketMQ 5 and what the server accepts, under {@code mqs.ons}. Producers are declared under
 * {@code mqs.ons.producers} (see the producer starter).
 */
@ConfigurationProperties("mqs.ons")
public class OnsProperties {

    /** Addresses of the RocketMQ 5 proxy (gRPC), host:port; several are joined with ';'. */
    private List<String> endpoints = new ArrayList<>();

    /** Namespace of the RocketMQ instance, if it has one. */
    private String namespace = "";

    /** Access key for an instance with authentication; set together with secret-key. */
    private @Nullable String accessKey;

    /** Secret key for an instance with authentication; never logged. */
    private @Nullable String secretKey;

    /** Whether to connect to the proxy over TLS; on as well when ssl.bundle is set. */
    private boolean sslEnabled;

    /** How the proxy's TLS certificate is verified. */
    private final Ssl ssl = new Ssl();

    /** How payloads become JSON bodies and back: fastjson2 (the original ONS code's), or the application's Jackson 3 JsonMapper. */
    private PayloadFormat payloadFormat = PayloadFormat.FASTJSON2;

    /**
     * For tests: how many times faster than configured every schedule runs (3600 makes an hour a second); 1 is real
     * time. Refused unless the embedded server is in use or time-scale-acknowledged is set.
     */
    private double timeScale = 1;

    /** Allows mqs.ons.time-scale without the embedded server: say so only where shortened schedules are meant. */
    private boolean timeScaleAcknowledged;

    /** Timeout of one request to the proxy. */
    private Duration requestTimeout = Duration.ofSeconds(3);

    /** Longest single delay the server accepts (a stock proxy: 1d); longer delays travel in hops. */
    private Duration maxDelay = Duration.ofDays(1);

    /** Precision of the broker's timer (its timerPrecisionMs; stock RocketMQ: 1s): how late it may release a timed message. */
    private Duration timerPrecision = Duration.ofSeconds(1);

    /** Whether delays longer than max-delay travel in hops; when false, such a send fails. */
    private boolean hopsEnabled = true;

    /** How long before its due time the broker releases each message, for every producer that sets none; timer-precision plus 500ms when not set, 0 to turn the lead off. */
    private @Nullable Duration deliveryLead;

    public List<String> getEndpoints() {
        return this.endpoints;
    }

    public void setEndpoints(List<String> endpoints) {
        this.endpoints = endpoints;
    }

    public String getNamespace() {
        return this.namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public @Nullable String getAccessKey() {
        return this.accessKey;
    }

    public void setAccessKey(@Nullable String accessKey) {
        this.accessKey = accessKey;
    }

    public @Nullable String getSecretKey() {
        return this.secretKey;
    }

    public void setSecretKey(@Nullable String secretKey) {
        this.secretKey = secretKey;
    }

    public boolean isSslEnabled() {
        return this.sslEnabled;
    }

    public void setSslEnabled(boolean sslEnabled) {
        this.sslEnabled = sslEnabled;
    }

    public Ssl getSsl() {
        return this.ssl;
    }

    public PayloadFormat getPayloadFormat() {
        return this.payloadFormat;
    }

    public void setPayloadFormat(PayloadFormat payloadFormat) {
        this.payloadFormat = payloadFormat;
    }

    public double getTimeScale() {
        return this.timeScale;
    }

    public void setTimeScale(double timeScale) {
        this.timeScale = timeScale;
    }

    public boolean isTimeScaleAcknowledged() {
        return this.timeScaleAcknowledged;
    }

    public void setTimeScaleAcknowledged(boolean timeScaleAcknowledged) {
        this.timeScaleAcknowledged = timeScaleAcknowledged;
    }

    public Duration getRequestTimeout() {
        return this.requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public Duration getMaxDelay() {
        return this.maxDelay;
    }

    public void setMaxDelay(Duration maxDelay) {
        this.maxDelay = maxDelay;
    }

    public Duration getTimerPrecision() {
        return this.timerPrecision;
    }

    public void setTimerPrecision(Duration timerPrecision) {
        this.timerPrecision = timerPrecision;
    }

    public boolean isHopsEnabled() {
        return this.hopsEnabled;
    }

    public void setHopsEnabled(boolean hopsEnabled) {
        this.hopsEnabled = hopsEnabled;
    }

    public @Nullable Duration getDeliveryLead() {
        return this.deliveryLead;
    }

    public void setDeliveryLead(@Nullable Duration deliveryLead) {
        this.deliveryLead = deliveryLead;
    }

    @Override
    public String toString() {
        return "OnsProperties[endpoints=" + this.endpoints + ", namespace=" + this.namespace + ", accessKey="
            + mask(this.accessKey) + ", secretKey=" + mask(this.secretKey) + ", sslEnabled=" + this.sslEnabled
            + ", ssl=" + this.ssl + ", payloadFormat=" + this.payloadFormat + ", timeScale=" + this.timeScale + ", requestTimeout=" + this.requestTimeout + ", maxDelay=" + this.maxDelay
            + ", timerPrecision="
            + this.timerPrecision + ", hopsEnabled=" + this.hopsEnabled + ", deliveryLead=" + this.deliveryLead + "]";
    }

    /** How payloads become JSON bodies and back. */
    public enum PayloadFormat {

        /** fastjson2, autoType off: what the original ONS code writes. */
        FASTJSON2,

        /** The application's own Jackson 3 {@code JsonMapper} (its modules, naming and dates); bodies never name classes. */
        JACKSON

    }

    /**
     * Verification of the proxy's certificate: without a bundle, rocketmq-client-java accepts any certificate.
     */
    public static class Ssl {

        /**
         * Name of the Spring Boot SSL bundle (spring.ssl.bundle.*) whose trust verifies the proxy's certificate;
         * its key, if it has one, is the client's certificate. Setting it turns TLS on.
         */
        private @Nullable String bundle;

        /**
         * Host name the proxy's certificate must carry, when it is not the host of the endpoint (an address, or
         * a name behind a load balancer); sent as the TLS server name too.
         */
        private @Nullable String serverName;

        public @Nullable String getBundle() {
            return this.bundle;
        }

        public void setBundle(@Nullable String bundle) {
            this.bundle = bundle;
        }

        public @Nullable String getServerName() {
            return this.serverName;
        }

        public void setServerName(@Nullable String serverName) {
            this.serverName = serverName;
        }

        @Override
        public String toString() {
            return "[bundle=" + this.bundle + ", serverName=" + this.serverName + "]";
        }

    }

    private static String mask(@Nullable String secret) {
        return secret == null ? "<not set>" : "******";
    }

}
