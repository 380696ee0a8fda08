package io.github.onsdelay.consumer.internal;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.github.onsdelay.consumer.DeliveryJournal;
import io.github.onsdelay.consumer.Exhaustion;
import io.github.onsdelay.consumer.OnsExhausted;
import io.github.onsdelay.consumer.OnsListener;
import io.github.onsdelay.consumer.OnsListenerContainerFactory;
import io.github.onsdelay.consumer.observation.OnsListenerObservationConvention;
import io.github.onsdelay.core.OnsConfigurationException;
import io.github.onsdelay.core.PayloadConverter;
import io.github.onsdelay.core.TimedMessageSender;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.producer.OnsProducerRegistry;
import io.github.onsdelay.producer.ProducerSettings;
import io.micrometer.observation.ObservationRegistry;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumerBuilder;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.autoproxy.AutoProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Finds {@link OnsListener} and {@link OnsExhausted} methods once every singleton exists, on every bean
 * including {@code @Lazy} ones (whose bean is then created at its first message), checks them (resolved
 * annotation values, producer, group, id, container factory, signature) and registers one container per
 * listener, built by its {@link OnsListenerContainerFactory}. All problems are reported at once, naming bean
 * and method.
 */
public final class OnsListenerMethodProcessor implements SmartInitializingSingleton, BeanFactoryAware {

    private static final Pattern GROUP = Pattern.compile("[%a-zA-Z0-9_-]{1,255}");

    private final ListenerContainerRegistry registry;

    private final OnsProducerRegistry producers;

    private final Function<@Nullable DeliveryJournal, ContainerAssembler> assemblers;

    private @Nullable ConfigurableListableBeanFactory beanFactory;

    /**
     * @param registry where containers are registered
     * @param producers the producers listeners name
     * @param sender sends retries, hops, hand-overs and dead letters
     * @param converter reads payloads
     * @param newConsumerBuilder a new rocketmq-client-java consumer builder with the client configuration
     * @param customizer applied to each consumer builder after the container's own settings
     * @param observations where handler runs are observed
     * @param convention names and tags handler observations; the default when null
     * @param events where retries and exhaustions are kept for operators
     */
    public OnsListenerMethodProcessor(ListenerContainerRegistry registry, OnsProducerRegistry producers,
            TimedMessageSender sender, PayloadConverter converter, Supplier<SimpleConsumerBuilder> newConsumerBuilder,
            java.util.function.Consumer<SimpleConsumerBuilder> customizer, ObservationRegistry observations,
            @Nullable OnsListenerObservationConvention convention, RecentListenerEvents events) {
        this.registry = registry;
        this.producers = producers;
        ListenerContainer.ConsumerBuilders consumers = new ListenerContainer.ConsumerBuilders(newConsumerBuilder,
            customizer);
        this.assemblers = journal -> new ContainerAssembler(new ContainerAssembler.Infrastructure(registry, sender,
            converter, consumers, observations, convention, events, journal));
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    @Override
    public void afterSingletonsInstantiated() {
        ConfigurableListableBeanFactory factory = this.beanFactory;
        if (factory == null) {
            return;
        }
        List<Candidate> candidates = findCandidates(factory);
        if (candidates.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        ExhaustionHandlers exhaustionHandlers = new ExhaustionHandlers(factory, problems);
        DeliveryJournal journal = factory.getBeanProvider(DeliveryJournal.class).getIfUnique();
        ContainerAssembler assembler = assemblers.apply(journal);
        Map<String, Candidate> groups = new LinkedHashMap<>();
        Map<String, Candidate> ids = new LinkedHashMap<>();
        List<ListenerContainer> containers = new ArrayList<>();
        for (Candidate candidate : candidates) {
            String where = "@OnsListener on " + HandlerInvoker.describe(candidate.targetClass, candidate.method)
                + " (bean '" + candidate.beanName + "')";
            String producerName = resolve(factory, candidate.annotation.producer());
            String group = resolve(factory, candidate.annotation.group());
            DelayProducer producer = producers.findProducer(producerName);
            if (producer == null) {
                problems.add(where + ": producer '" + producerName + "' is not declared; known producers: "
                    + (producers.getProducerNames().isEmpty() ? "none" : String.join(", ", producers.getProducerNames()))
                    + " (declare it under mqs.ons.producers)");
                continue;
            }
            if (group.isBlank()) {
                problems.add(where + ": group is not set; give each listener a consumer group of its own");
                continue;
            }
            if (!GROUP.matcher(group).matches()) {
                problems.add(where + ": group '" + group + "' is not a valid consumer group name (letters, digits, "
                    + "'-', '_', '%'; at most 255)");
                continue;
            }
            Candidate previous = groups.putIfAbsent(group, candidate);
            if (previous != null) {
                problems.add(where + ": group '" + group + "' is already used by @OnsListener on "
                    + HandlerInvoker.describe(previous.targetClass, previous.method)
                    + "; one listener per group (a group has one subscription, and each message is handled once "
                    + "per group)");
                continue;
            }
            String id = resolve(factory, candidate.annotation.id());
            id = id.isBlank() ? group : id;
            Candidate sameId = ids.putIfAbsent(id, candidate);
            if (sameId != null) {
                problems.add(where + ": id '" + id + "' is already the id of @OnsListener on "
                    + HandlerInvoker.describe(sameId.targetClass, sameId.method) + "; give each listener its own id");
                continue;
            }
            Attribute<Integer> concurrency = attribute(factory, candidate.annotation.concurrency(), value -> {
                try {
                    int parsed = Integer.parseInt(value);
                    return parsed >= 1 ? parsed : null;
                }
                catch (NumberFormatException ex) {
                    return null;
                }
            }, where + ": concurrency '%s' is not a whole number of at least 1", problems);
            Attribute<Boolean> autoStartup = attribute(factory, candidate.annotation.autoStartup(),
                value -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? Boolean.valueOf(value) : null,
                where + ": autoStartup '%s' is neither true nor false", problems);
            Attribute<Duration> handlerTimeout = attribute(factory, candidate.annotation.handlerTimeout(), value -> {
                try {
                    Duration parsed = DurationStyle.detectAndParse(value, ChronoUnit.SECONDS);
                    return parsed.isNegative() || parsed.isZero() ? null : parsed;
                }
                catch (RuntimeException ex) {
                    return null;
                }
            }, where + ": handlerTimeout '%s' is not a positive duration (such as 30s, 10m or 2h)", problems);
            String factoryName = resolve(factory, candidate.annotation.containerFactory());
            factoryName = factoryName.isBlank() ? OnsListenerContainerFactory.DEFAULT_BEAN_NAME : factoryName;
            OnsListenerContainerFactory containerFactory = containerFactory(factory, factoryName, where, problems);
            HandlerInvoker invoker;
            try {
                invoker = HandlerInvoker.of(candidate.beanName, factory, candidate.targetClass, candidate.method);
            }
            catch (OnsConfigurationException ex) {
                problems.add(ex.getMessage());
                continue;
            }
            boolean idempotent = candidate.annotation.idempotent();
            if (idempotent && journal == null) {
                problems.add(where + ": idempotent = true needs the journal of ons-delay-jdbc: add it and a "
                    + "DataSource, or remove idempotent");
                continue;
            }
            if (idempotent && !invoker.blocking()) {
                problems.add(where + ": idempotent = true needs a blocking handler (the record is written in the "
                    + "handler's transaction, on its thread); it returns a CompletionStage or suspends");
                continue;
            }
            java.util.function.Consumer<Exhaustion> exhaustion = exhaustionHandlers.of(candidate.beanName,
                candidate.targetClass, candidate.exhaustedMethods, group);
            if (!concurrency.valid() || !autoStartup.valid() || !handlerTimeout.valid() || containerFactory == null) {
                continue;
            }
            ProducerSettings settings = producer.getSettings();
            String topic = resolve(factory, candidate.annotation.topic());
            String tag = resolve(factory, candidate.annotation.tag());
            Map<String, String> subscription = Map.of(topic.isBlank() ? settings.topic() : topic,
                tag.isBlank() ? (settings.tag() == null ? "*" : settings.tag()) : tag);
            containers.add(assembler.assemble(new ListenerEndpoint(id, group, settings, subscription, invoker,
                exhaustion, idempotent, factoryName, concurrency.value(), autoStartup.value(), handlerTimeout.value()),
                containerFactory));
        }
        if (!problems.isEmpty()) {
            throw new OnsConfigurationException("Invalid @OnsListener declarations:\n - "
                + String.join("\n - ", problems));
        }
        containers.forEach(registry::register);
    }

    private static @Nullable OnsListenerContainerFactory containerFactory(ConfigurableListableBeanFactory factory,
            String name, String where, List<String> problems) {
        if (!factory.containsBean(name)) {
            String[] known = factory.getBeanNamesForType(OnsListenerContainerFactory.class);
            problems.add(where + ": container factory '" + name + "' is not a bean; OnsListenerContainerFactory beans: "
                + (known.length == 0 ? "none" : String.join(", ", known)));
            return null;
        }
        if (!factory.isTypeMatch(name, OnsListenerContainerFactory.class)) {
            problems.add(where + ": bean '" + name + "' named as container factory is not an "
                + "OnsListenerContainerFactory");
            return null;
        }
        return factory.getBean(name, OnsListenerContainerFactory.class);
    }

    private static List<Candidate> findCandidates(ConfigurableListableBeanFactory factory) {
        List<Candidate> candidates = new ArrayList<>();
        for (String beanName : factory.getBeanNamesForType(Object.class, false, false)) {
            if (ScopedProxyUtils.isScopedTarget(beanName)) {
                continue;
            }
            Class<?> type = AutoProxyUtils.determineTargetClass(factory, beanName);
            if (type == null || !AnnotationUtils.isCandidateClass(type, List.of(OnsListener.class, OnsExhausted.class))) {
                continue;
            }
            Map<Method, OnsListener> listeners = MethodIntrospector.selectMethods(type,
                (MethodIntrospector.MetadataLookup<OnsListener>) method ->
                    AnnotatedElementUtils.findMergedAnnotation(method, OnsListener.class));
            if (listeners.isEmpty()) {
                continue;
            }
            Map<Method, OnsExhausted> exhausted = MethodIntrospector.selectMethods(type,
                (MethodIntrospector.MetadataLookup<OnsExhausted>) method ->
                    AnnotatedElementUtils.findMergedAnnotation(method, OnsExhausted.class));
            Class<?> beanType = factory.getType(beanName, false);
            listeners.forEach((method, annotation) -> candidates.add(new Candidate(beanName, type,
                beanType == null ? method : AopUtils.selectInvocableMethod(method, beanType), annotation, exhausted)));
        }
        return candidates;
    }

    /** An annotation attribute after its placeholders are resolved: unset when blank, else parsed or invalid. */
    private static <T> Attribute<T> attribute(ConfigurableListableBeanFactory factory, String attribute,
            Function<String, @Nullable T> parser, String problem, List<String> problems) {
        String value = resolve(factory, attribute);
        if (value.isBlank()) {
            return new Attribute<>(null, true);
        }
        T parsed = parser.apply(value);
        if (parsed == null) {
            problems.add(problem.formatted(value));
        }
        return new Attribute<>(parsed, parsed != null);
    }

    /** A listener attribute: its value (null when unset, for the container factory's), and whether it parsed. */
    private record Attribute<T>(@Nullable T value, boolean valid) {
    }

    private static String resolve(ConfigurableListableBeanFactory factory, String value) {
        String resolved = factory.resolveEmbeddedValue(value);
        return resolved == null ? "" : resolved.trim();
    }

    private record Candidate(String beanName, Class<?> targetClass, Method method, OnsListener annotation,
            Map<Method, OnsExhausted> exhaustedMethods) {
    }

}
