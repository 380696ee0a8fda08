package io.github.onsdelay.producer;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.github.onsdelay.producer.internal.DelayMessageSender;
import io.github.onsdelay.producer.internal.OutgoingMessage;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanNameAware;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Base of a producer with typed methods, in Java or Kotlin. Bind it to its own section of
 * {@code mqs.ons.producers} and add the methods your code calls:
 *
 * <pre>{@code
 * @Component
 * @ConfigurationProperties("mqs.ons.producers.clean-report-push")
 * class CleanReportPushEventProducer : AbstractProducer() {
 *     fun push(event: CleanReportEvent, times: Int = 0): SendResult = send(event, times)
 * }
 * }</pre>
 *
 * The producer's name is the key of that section ({@code clean-report-push}), or its bean name when it is
 * bound elsewhere; no second producer is created from {@code application.yml} for a key a subclass
 * covers. The starter injects the sending machinery; the settings are checked when the bean starts.
 */
public abstract class AbstractProducer extends ProducerSettings implements DelayProducer, BeanNameAware, BeanFactoryAware, InitializingBean {

    /** Prefix of the sections that declare producers. */
    public static final String PRODUCERS_PREFIX = "mqs.ons.producers";

    private @Nullable String name;

    private String propertyPrefix = PRODUCERS_PREFIX;

    private @Nullable String beanName;

    private @Nullable BeanFactory beanFactory;

    private @Nullable DelayMessageSender sender;

    private @Nullable RetrySchedule schedule;

    protected AbstractProducer() {
    }

    /** For a producer whose name is fixed in code rather than taken from its configuration section. */
    protected AbstractProducer(String name) {
        this.name = name;
    }

    /** Wiring done by the starter; not for application code. */
    @Autowired
    public void setDelayMessageSender(DelayMessageSender sender) {
        this.sender = sender;
    }

    @Override
    public void setBeanName(String beanName) {
        this.beanName = beanName;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void afterPropertiesSet() {
        resolveName();
        List<String> problems = new ArrayList<>();
        if (getTopic() == null || getTopic().isBlank()) {
            problems.add(this.propertyPrefix + ".topic is not set: name the RocketMQ topic producer '" + this.name
                + "' sends to (a DELAY topic)");
        }
        if (getTag() != null && (getTag().isBlank() || getTag().contains("||") || getTag().contains("*"))) {
            problems.add(this.propertyPrefix + ".tag='" + getTag() + "' is not a tag: it must not be blank nor "
                + "contain '||' or '*', which are subscription syntax; give each producer one plain tag");
        }
        if (getInitialDelay() == null || getInitialDelay().isNegative()) {
            problems.add(this.propertyPrefix + ".initial-delay=" + getInitialDelay() + " must be zero or positive");
        }
        for (int i = 0; i < getDelays().size(); i++) {
            Duration delay = getDelays().get(i);
            if (delay == null || delay.isNegative() || delay.isZero()) {
                problems.add(this.propertyPrefix + ".delays[" + i + "]=" + delay
                    + " must be positive: each retry waits at least some time");
            }
        }
        if (getSendTimeout() == null || getSendTimeout().isNegative() || getSendTimeout().isZero()) {
            problems.add(this.propertyPrefix + ".send-timeout=" + getSendTimeout() + " must be positive");
        }
        if (!problems.isEmpty()) {
            throw new OnsConfigurationException("Producer '" + this.name + "' is misconfigured:\n - "
                + String.join("\n - ", problems));
        }
        this.schedule = new RetrySchedule(getInitialDelay(), getDelays());
    }

    private void resolveName() {
        if (this.name == null && this.beanName != null && this.beanFactory instanceof ListableBeanFactory beans
                && beans.containsBeanDefinition(this.beanName)) {
            ConfigurationProperties annotation = beans.findAnnotationOnBean(this.beanName, ConfigurationProperties.class);
            String prefix = annotation == null ? "" : annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
            if (prefix.startsWith(PRODUCERS_PREFIX + ".")) {
                this.name = prefix.substring(PRODUCERS_PREFIX.length() + 1);
            }
            if (!prefix.isEmpty()) {
                this.propertyPrefix = prefix;
            }
        }
        if (this.name == null) {
            this.name = this.beanName != null ? this.beanName : getClass().getSimpleName();
        }
        if (this.propertyPrefix.equals(PRODUCERS_PREFIX)) {
            this.propertyPrefix = PRODUCERS_PREFIX + "." + this.name;
        }
    }

    @Override
    public String getName() {
        if (this.name == null) {
            resolveName();
        }
        return this.name;
    }

    @Override
    public RetrySchedule getSchedule() {
        RetrySchedule current = this.schedule;
        if (current == null) {
            throw new IllegalStateException("Producer '" + getName() + "' is not initialized yet");
        }
        return current;
    }

    @Override
    public SendResult send(DelayMessage message) {
        Prepared prepared = prepare(message);
        if (prepared.outgoing == null) {
            return SendResult.exhausted(message.attempt());
        }
        return prepared.sender.sendAndWait(prepared.outgoing, getSendTimeout());
    }

    @Override
    public CompletableFuture<SendResult> sendAsync(DelayMessage message) {
        Prepared prepared;
        try {
            prepared = prepare(message);
        }
        catch (OnsSendException ex) {
            return CompletableFuture.failedFuture(ex);
        }
        if (prepared.outgoing == null) {
            return CompletableFuture.completedFuture(SendResult.exhausted(message.attempt()));
        }
        return prepared.sender.send(prepared.outgoing, getSendTimeout());
    }

    /** A message ready to send, or none when its attempt is beyond the delays. */
    private record Prepared(DelayMessageSender sender, @Nullable OutgoingMessage outgoing) {
    }

    private Prepared prepare(DelayMessage message) {
        DelayMessageSender current = this.sender;
        RetrySchedule currentSchedule = this.schedule;
        if (current == null || currentSchedule == null) {
            throw new IllegalStateException("Producer '" + getName() + "' is not initialized: declare it as a "
                + "Spring bean with ons-delay-producer-spring-boot-starter on the classpath");
        }
        String target = String.valueOf(getTopic());
        // Message properties carry epoch milliseconds: results and messages agree to the millisecond.
        Instant now = current.clock().instant().truncatedTo(ChronoUnit.MILLIS);
        Instant dueAt = message.deliverAt() == null ? null : message.deliverAt().truncatedTo(ChronoUnit.MILLIS);
        if (dueAt == null) {
            Optional<Duration> delay = currentSchedule.delayOf(message.attempt());
            if (delay.isEmpty()) {
                return new Prepared(current, null);
            }
            dueAt = now.plus(delay.get());
        }
        byte[] body;
        try {
            body = current.converter().toBody(message.payload());
        }
        catch (RuntimeException ex) {
            throw new OnsSendException(getName(), target, "payload cannot be converted: " + ex.getMessage(), ex);
        }
        String key = message.key() != null ? message.key() : UUID.randomUUID().toString();
        String messageTag = message.tag() != null ? message.tag() : getTag();
        return new Prepared(current, new OutgoingMessage(getName(), target, messageTag, key, body, message.attempt(),
            dueAt, now, null));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[name=" + this.name + ", topic=" + getTopic() + ", tag=" + getTag()
            + ", initialDelay=" + getInitialDelay() + ", delays=" + getDelays() + "]";
    }

}
