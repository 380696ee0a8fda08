package io.github.onsdelay.producer.autoconfigure;

import java.beans.PropertyDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.github.onsdelay.core.OnsConfigurationException;
import io.github.onsdelay.core.RetrySchedule;
import io.github.onsdelay.core.TimedMessageSender;
import io.github.onsdelay.core.autoconfigure.OnsConnectionDetails;
import io.github.onsdelay.core.autoconfigure.OnsProperties;
import io.github.onsdelay.producer.AbstractProducer;
import io.github.onsdelay.producer.ProducerSettings;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Turns {@code mqs.ons.producers} into checked {@link ProducerSettings}, one per producer: every declared
 * section, and the name of every {@link AbstractProducer} subclass. All problems are reported at once,
 * naming the property and its value: a missing topic, a tag with subscription syntax, a negative delay, a
 * setting given twice (by its name and its ONS-style twin), and a key under a producer's section that nothing
 * reads (a misspelt {@code delay} would otherwise lose every retry). The ONS-style twins are read in their
 * original units.
 */
final class ProducerSettingsMapper {

    private static final ConfigurationPropertyName PRODUCERS = ConfigurationPropertyName.of(ProducerNames.PREFIX);

    private final OnsProperties connection;

    private final OnsConnectionDetails details;

    ProducerSettingsMapper(OnsProperties connection, OnsConnectionDetails details) {
        this.connection = connection;
        this.details = details;
    }

    /**
     * @param properties the bound {@code mqs.ons.producers}
     * @param subclasses the classes of {@link AbstractProducer} subclass beans, by producer name
     * @param environment where the declared keys are read from, to find those no producer has
     */
    Map<String, ProducerSettings> map(OnsProducerProperties properties, Map<String, Class<?>> subclasses,
            Environment environment) {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> declaredSettings = declaredSettings(environment);
        declaredSettings.forEach((name, declared) -> {
            Set<String> known = knownSettings(subclasses.get(name));
            for (String setting : declared) {
                if (!known.contains(setting)) {
                    problems.add(ProducerNames.PREFIX + "." + name + "." + setting + " is not a setting of "
                        + (subclasses.containsKey(name) ? subclasses.get(name).getName() : "a producer") + "; known: "
                        + String.join(", ", known));
                }
            }
        });
        Set<String> names = new LinkedHashSet<>(properties.getProducers().keySet());
        names.addAll(subclasses.keySet());
        Map<String, ProducerSettings> settings = new LinkedHashMap<>();
        for (String name : names) {
            ProducerProperties producer = properties.getProducers().getOrDefault(name, new ProducerProperties());
            ProducerSettings mapped = map(name, producer, declaredSettings.getOrDefault(name, Set.of()), problems);
            if (mapped != null) {
                settings.put(name, mapped);
            }
        }
        if (!problems.isEmpty()) {
            throw new OnsConfigurationException("Producers are misconfigured:\n - " + String.join("\n - ", problems));
        }
        return settings;
    }

    /** The original ONS code's names of settings, each with the setting it is a twin of. */
    private static final Map<String, String> ONS_TWINS = Map.of("delay-second-list", "delays",
        "delay-send-time-mills", "initial-delay", "timeout-millis", "send-timeout");

    private @Nullable ProducerSettings map(String name, ProducerProperties producer, Set<String> declared,
            List<String> problems) {
        String prefix = ProducerNames.PREFIX + "." + name;
        int before = problems.size();
        ONS_TWINS.forEach((ons, setting) -> {
            if (declared.contains(ons) && declared.contains(setting)) {
                problems.add(prefix + "." + setting + " and " + prefix + "." + ons + " are the same setting ("
                    + ons + " is its ONS-style name): keep one");
            }
        });
        List<Duration> delays = producer.getDelays();
        if (producer.getDelaySecondList() != null) {
            delays = producer.getDelaySecondList().stream()
                .map(seconds -> seconds == null ? null : Duration.ofSeconds(seconds)).toList();
        }
        Duration initialDelay = producer.getDelaySendTimeMills() != null
            ? Duration.ofMillis(producer.getDelaySendTimeMills()) : producer.getInitialDelay();
        Duration sendTimeout = producer.getTimeoutMillis() != null ? Duration.ofMillis(producer.getTimeoutMillis())
            : producer.getSendTimeout();
        String topic = producer.getTopic();
        if (topic == null || topic.isBlank()) {
            problems.add(prefix + ".topic is not set: name the RocketMQ topic producer '" + name
                + "' sends to (a DELAY topic)");
        }
        String tag = producer.getTag();
        if (tag != null && !ProducerSettings.isValidTag(tag)) {
            problems.add(prefix + ".tag='" + tag + "' is not a tag: it must not be blank nor contain '||' or '*', "
                + "which are subscription syntax; give each producer one plain tag");
        }
        if (initialDelay == null || initialDelay.isNegative()) {
            problems.add(prefix + (producer.getDelaySendTimeMills() != null ? ".delay-send-time-mills=" : ".initial-delay=")
                + initialDelay + " must be zero or positive");
        }
        String delaysKey = producer.getDelaySecondList() != null ? ".delay-second-list[" : ".delays[";
        for (int i = 0; i < delays.size(); i++) {
            Duration delay = delays.get(i);
            if (delay == null || delay.isNegative() || delay.isZero()) {
                problems.add(prefix + delaysKey + i + "]=" + delay
                    + " must be positive: each retry waits at least some time");
            }
        }
        if (sendTimeout == null || sendTimeout.isNegative() || sendTimeout.isZero()) {
            problems.add(prefix + (producer.getTimeoutMillis() != null ? ".timeout-millis=" : ".send-timeout=")
                + sendTimeout + " must be positive");
        }
        Duration lead = producer.getDeliveryLead();
        if (lead != null && lead.isNegative()) {
            problems.add(prefix + ".delivery-lead=" + lead + " must be zero (no lead) or positive");
        }
        if (problems.size() > before || topic == null || initialDelay == null || sendTimeout == null) {
            return null;
        }
        return new ProducerSettings(name, topic.trim(), tag, new RetrySchedule(initialDelay, delays),
            sendTimeout, lead != null ? lead : defaultLead());
    }

    /** {@code mqs.ons.delivery-lead}, or the broker's timer precision plus a margin for its release pipeline. */
    private Duration defaultLead() {
        Duration lead = this.connection.getDeliveryLead();
        return lead != null ? lead : TimedMessageSender.defaultDeliveryLead(this.details.getTimerPrecision());
    }

    /** Every producer key found under mqs.ons.producers, with the settings (dashed) given for it. */
    private static Map<String, Set<String>> declaredSettings(Environment environment) {
        Map<String, Set<String>> declared = new LinkedHashMap<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            iterable.filter(PRODUCERS::isAncestorOf).stream().forEach(name -> {
                if (name.getNumberOfElements() > PRODUCERS.getNumberOfElements()) {
                    String key = name.getElement(PRODUCERS.getNumberOfElements(), ConfigurationPropertyName.Form.ORIGINAL);
                    Set<String> settings = declared.computeIfAbsent(key, k -> new TreeSet<>());
                    if (name.getNumberOfElements() > PRODUCERS.getNumberOfElements() + 1) {
                        settings.add(name.getElement(PRODUCERS.getNumberOfElements() + 1,
                            ConfigurationPropertyName.Form.DASHED));
                    }
                }
            });
        }
        return declared;
    }

    /** The settings (dashed) a producer's section may hold: the library's, and a subclass's own. */
    static Set<String> knownSettings(@Nullable Class<?> subclass) {
        Set<String> known = new TreeSet<>(writableProperties(ProducerProperties.class));
        if (subclass != null) {
            known.addAll(writableProperties(subclass));
        }
        return known;
    }

    private static Set<String> writableProperties(Class<?> type) {
        Set<String> properties = new TreeSet<>();
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
            if (descriptor.getWriteMethod() != null) {
                properties.add(DataObjectPropertyName.toDashedForm(descriptor.getName()));
            }
        }
        return properties;
    }

}
