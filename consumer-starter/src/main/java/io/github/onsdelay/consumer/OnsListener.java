package io.github.onsdelay.consumer;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Marks a bean method that handles a producer's messages, in a consumer group of its own, at each
 * message's due time.
 *
 * <pre>{@code
 * @OnsListener(producer = "clean-report-push", group = "report-push")
 * fun push(event: CleanReportEvent, context: DeliveryContext): Boolean = partner.push(event)
 * }</pre>
 *
 * The method takes the payload (any type the {@code PayloadConverter} can read, generic types and Kotlin
 * data classes included) and optionally a {@link DeliveryContext}. It may block, return a
 * {@code CompletionStage}, or be a Kotlin {@code suspend} function. It succeeds by returning normally (or
 * {@code true}, or a stage completing so); it fails by throwing or returning {@code false} (or a stage
 * completing so). A failed attempt n is sent again as attempt n+1, due after the producer's
 * {@code delays[n]}, to this group only; when the delays are used up, the message is exhausted (see
 * {@link OnsExhausted}). Attribute values may use {@code ${...}} placeholders.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective
public @interface OnsListener {

    /** Name of the producer whose messages this handles: its {@code mqs.ons.producers} key. */
    String producer();

    /** Consumer group; one listener per group. */
    String group();

    /** Topic to subscribe to; the producer's topic when empty. */
    String topic() default "";

    /** Tag expression to subscribe with ({@code a||b} allowed); the producer's tag, or every tag, when empty. */
    String tag() default "";

    /** Id of the listener's container in the {@link OnsListenerRegistry}; the group when empty. */
    String id() default "";

    /** Whether the container starts with the application: {@code true}, {@code false}, or empty for {@code mqs.ons.consumer.auto-startup}. */
    String autoStartup() default "";

    /** Most handler runs at once; empty for the container factory's ({@code mqs.ons.consumer.concurrency}). */
    String concurrency() default "";

    /**
     * Longest a run of the handler may take ({@code 30s}, {@code 10m}, {@code PT2H}; a plain number means
     * seconds); empty for the container factory's ({@code mqs.ons.consumer.handler-timeout}). A run that has not
     * ended by then counts as a failed attempt and follows the retry schedule; what it does later is ignored. A
     * returned future or a suspend function is cancelled; a blocking method keeps its thread until it returns.
     */
    String handlerTimeout() default "";

    /**
     * Name of the {@link OnsListenerContainerFactory} bean that builds this listener's container; empty for
     * Spring Boot's ({@value OnsListenerContainerFactory#DEFAULT_BEAN_NAME}).
     */
    String containerFactory() default "";

    /**
     * Handle each attempt once: group, business key and attempt are recorded in the handler's own
     * transaction, so a redelivered attempt whose handler committed is acknowledged without running it again.
     * Needs {@code ons-delay-jdbc} with a DataSource, and a blocking handler.
     */
    boolean idempotent() default false;

}
