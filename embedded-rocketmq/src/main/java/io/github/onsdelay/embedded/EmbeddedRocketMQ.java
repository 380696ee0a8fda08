package io.github.onsdelay.embedded;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against a real RocketMQ 5 server started in this JVM.
 *
 * <p>One server is started per JVM and per {@link #timerPrecisionMs()} and shared by every test class that asks
 * for the same; each class sets its {@link #maxDelay()} on it, and topics and groups are added to it as classes
 * ask for them (test classes of one JVM run one at a time). Test methods and constructors may declare an {@link EmbeddedRocketMQBroker} parameter.
 * In a Spring test, the context gets the server as its {@code OnsConnectionDetails} (endpoint, timer
 * precision, maximum delay: the {@code mqs.ons} connection properties are not used) and as an
 * {@code embeddedRocketMQBroker} bean; equal annotations share a cached context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EmbeddedRocketMQExtension.class)
public @interface EmbeddedRocketMQ {

    /** Topics for timed messages ({@link TopicMessageType#DELAY}), the kind ons-delay sends. */
    String[] topics() default {};

    /** Topics for plain messages ({@link TopicMessageType#NORMAL}). */
    String[] normalTopics() default {};

    /** Topics for ordered messages ({@link TopicMessageType#FIFO}). */
    String[] fifoTopics() default {};

    /** Consumer groups to create before the tests run. */
    String[] groups() default {};

    /** Slot size of the broker's timer wheel in milliseconds: 100, 200, 500 or 1000. */
    long timerPrecisionMs() default 100;

    /** Longest delay the proxy accepts for one message, such as {@code 1d}, {@code 5s} or {@code PT10M}. */
    String maxDelay() default "1d";

    /** A Spring property that also receives the proxy's endpoint, for clients other than ons-delay's; none when empty. */
    String endpointsProperty() default "";

    /**
     * How many times faster than configured the application's schedules run ({@code mqs.ons.time-scale}): 3600
     * makes an hour of delay a second. 1, the default, is real time.
     */
    double timeScale() default 1;

}
