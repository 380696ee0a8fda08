package io.github.onsdelay.producer;

import java.time.Instant;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * Base of a producer with typed methods, in Java or Kotlin, in the style of the original ONS code: a bean
 * bound to its own section of {@code mqs.ons.producers}, adding the methods your code calls.
 *
 * <pre>{@code
 * @Component
 * @ConfigurationProperties("mqs.ons.producers.clean-report-push")
 * class CleanReportPushEventProducer : AbstractProducer() {
 *     fun push(event: CleanReportEvent, attempt: Int = 0): SendResult = send(event, attempt)
 * }
 * }</pre>
 *
 * The producer's name is the key in its {@code @ConfigurationProperties} prefix ({@code clean-report-push}),
 * or else its bean name; its settings are read from {@code mqs.ons.producers.<name>} like every other
 * producer's, and no second producer bean is created for that key. A subclass may declare settings of its
 * own in the same section (a partner URL, say): {@code @ConfigurationProperties} binds those. The starter
 * connects the bean to the producer it built for the name before the bean is used.
 */
public abstract class AbstractProducer implements DelayProducer {

    private volatile @Nullable DelayProducer producer;

    /**
     * Connects this bean to the producer the starter built from its section; called once by the starter
     * before the bean is initialized.
     * @throws IllegalStateException when it is already connected
     */
    public final void bind(DelayProducer producer) {
        synchronized (this) {
            if (this.producer != null) {
                throw new IllegalStateException(getClass().getName() + " is already bound to producer '"
                    + this.producer.getName() + "'");
            }
            this.producer = producer;
        }
    }

    private DelayProducer producer() {
        DelayProducer current = this.producer;
        if (current == null) {
            throw new IllegalStateException(getClass().getName() + " is not bound to a producer: declare it as a "
                + "Spring bean with ons-delay-producer-spring-boot-starter on the classpath");
        }
        return current;
    }

    @Override
    public String getName() {
        return producer().getName();
    }

    @Override
    public ProducerSettings getSettings() {
        return producer().getSettings();
    }

    @Override
    public SendResult send(DelayMessage message) {
        return producer().send(message);
    }

    @Override
    public CompletableFuture<SendResult> sendAsync(DelayMessage message) {
        return producer().sendAsync(message);
    }

    /**
     * The original ONS producer's {@code sendMessage(messageBody, tag)}: attempt 0 with this tag, due after the
     * initial delay ({@code delay-send-time-mills} or {@code initial-delay}). Unlike the original, a failed send
     * throws {@link io.github.onsdelay.core.OnsSendException} instead of being logged and lost.
     */
    public SendResult sendMessage(Object messageBody, String tag) {
        return send(DelayMessage.of(messageBody).withTag(tag));
    }

    @Override
    public boolean recall(SendResult result) {
        return producer().recall(result);
    }

    @Override
    public CancelResult cancel(String businessKey) {
        return producer().cancel(businessKey);
    }

    @Override
    public RescheduleResult reschedule(String businessKey, Instant dueAt) {
        return producer().reschedule(businessKey, dueAt);
    }

    @Override
    public String toString() {
        DelayProducer current = this.producer;
        return getClass().getSimpleName() + "[" + (current == null ? "not bound" : current.getSettings()) + "]";
    }

}
