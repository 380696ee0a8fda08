package io.github.onsdelay.embedded;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against a RocketMQ 5 cluster started in this JVM for it ({@link
 * EmbeddedRocketMQCluster}: one NameServer, {@link #brokers()} brokers, a proxy in CLUSTER mode), stopped after
 * its last test. Test methods, lifecycle methods and constructors may declare an {@link EmbeddedRocketMQCluster}
 * parameter, to reach its endpoint and stop or start a broker.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EmbeddedRocketMQClusterExtension.class)
public @interface EmbeddedRocketMQClusterTest {

    /** How many brokers: at least 2. */
    int brokers() default 2;

    /** Topics for timed messages ({@link TopicMessageType#DELAY}), created on every broker. */
    String[] topics() default {};

    /** Slot size of the brokers' timer wheel in milliseconds: 100, 200, 500 or 1000. */
    long timerPrecisionMs() default 100;

    /** Longest delay the proxy accepts for one message, such as {@code 1d}, {@code 5s} or {@code PT10M}. */
    String maxDelay() default "1d";

}
