package io.github.onsdelay.consumer.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.github.onsdelay.consumer.Exhaustion;
import io.github.onsdelay.consumer.DeliveryJournal;
import io.github.onsdelay.consumer.ExhaustionHandler;
import io.github.onsdelay.consumer.OnsExhausted;
import io.github.onsdelay.consumer.OnsListener;
import io.github.onsdelay.consumer.observation.OnsListenerObservationConvention;
import io.github.onsdelay.core.OnsConfigurationException;
import io.github.onsdelay.core.OnsDelayException;
import io.github.onsdelay.core.PayloadConverter;
import io.github.onsdelay.core.TimedMessageSender;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.producer.OnsProducerRegistry;
import io.github.onsdelay.producer.ProducerSettings;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumerBuilder;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.autoproxy.AutoProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds {@link OnsListener} and {@link OnsExhausted} methods once every singleton exists, on every bean
 * including {@code @Lazy} ones (whose bean is then created at its first message), checks them (resolved
 * annotation values, producer, group, id, signature) and registers one container per listener. All problems
 * are reported at once, naming bean and method.
 */
public final class OnsListenerMethodProcessor implements SmartInitializingSingleton, BeanFactoryAware {

    private static final Log LOG = LogFactory.getLog(OnsListenerMethodProcessor.class);

    private static final Pattern GROUP = Pattern.compile("[%a-zA-Z0-9_-]{1,255}");

    private final Defaults defaults;

    private final Infrastructure infrastructure;

    private @Nullable ConfigurableListableBeanFactory beanFactory;

    /**
     * What every listener shares, looked up once singletons exist.
     *
     * @param concurrency handler runs at once, unless a listener sets its own
     * @param autoStartup whether containers start with the application, unless a listener says otherwise
     * @param maxHeldMessages most messages a container holds or handles at once
     * @param maxHeldBytes most body bytes a container holds or handles at once
     * @param invisibleDuration how long a held message stays invisible to other consumers unless renewed
     * @param awaitDuration longest a receive waits at the proxy
     * @param shutdownTimeout longest a stop waits for handlers in progress
     * @param deadLetterTopic topic exhausted messages are also forwarded to, or null
     */
    public record Defaults(int concurrency, boolean autoStartup, int maxHeldMessages, long maxHeldBytes,
            Duration invisibleDuration, Duration awaitDuration, Duration shutdownTimeout,
            @Nullable String deadLetterTopic) {
    }

    /**
     * The parts every container is built from.
     *
     * @param registry where containers are registered
     * @param producers the producers listeners name
     * @param sender sends retries, hops and dead-letter forwards
     * @param converter reads payloads
     * @param consumers a new rocketmq-client-java consumer builder, customized, for each container start
     * @param observations where handler runs are observed
     * @param convention names and tags handler observations; the default when null
     * @param events where retries and exhaustions are kept for operators
     */
    public record Infrastructure(ListenerContainerRegistry registry, OnsProducerRegistry producers,
            TimedMessageSender sender, PayloadConverter converter, Supplier<SimpleConsumerBuilder> consumers,
            ObservationRegistry observations, @Nullable OnsListenerObservationConvention convention,
            RecentListenerEvents events) {
    }

    public OnsListenerMethodProcessor(Defaults defaults, Infrastructure infrastructure) {
        this.defaults = defaults;
        this.infrastructure = infrastructure;
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
        Consumer<Exhaustion> sharedHandler = sharedExhaustionHandler(factory, problems);
        DeliveryJournal journal = factory.getBeanProvider(DeliveryJournal.class).getIfUnique();
        Map<String, Candidate> groups = new LinkedHashMap<>();
        Map<String, Candidate> ids = new LinkedHashMap<>();
        List<ListenerContainer> containers = new ArrayList<>();
        for (Candidate candidate : candidates) {
            String where = "@OnsListener on " + HandlerInvoker.describe(candidate.targetClass, candidate.method)
                + " (bean '" + candidate.beanName + "')";
            String producerName = resolve(factory, candidate.annotation.producer());
            String group = resolve(factory, candidate.annotation.group());
            DelayProducer producer = infrastructure.producers().findProducer(producerName);
            if (producer == null) {
                problems.add(where + ": producer '" + producerName + "' is not declared; known producers: "
                    + (infrastructure.producers().getProducerNames().isEmpty() ? "none"
                        : String.join(", ", infrastructure.producers().getProducerNames()))
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
            Integer concurrency = concurrency(factory, candidate, where, problems);
            Boolean autoStartup = autoStartup(factory, candidate, where, problems);
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
            Consumer<Exhaustion> exhaustion = exhaustionMethod(factory, candidate, group, problems);
            if (concurrency == null || autoStartup == null) {
                continue;
            }
            ProducerSettings settings = producer.getSettings();
            String topic = resolve(factory, candidate.annotation.topic());
            String tag = resolve(factory, candidate.annotation.tag());
            Map<String, String> subscription = Map.of(topic.isBlank() ? settings.topic() : topic,
                tag.isBlank() ? (settings.tag() == null ? "*" : settings.tag()) : tag);
            containers.add(container(new ContainerSettings(id, group, settings, subscription,
                concurrency, autoStartup, defaults.maxHeldMessages(), defaults.maxHeldBytes(),
                defaults.invisibleDuration(), defaults.awaitDuration(), 32, 4,
                settings.deliveryLead().plus(Duration.ofSeconds(10)), defaults.shutdownTimeout()),
                invoker, exhaustion != null ? exhaustion : sharedHandler, new DeliveryProcessor.Journal(journal,
                    idempotent)));
        }
        if (!problems.isEmpty()) {
            throw new OnsConfigurationException("Invalid @OnsListener declarations:\n - "
                + String.join("\n - ", problems));
        }
        containers.forEach(infrastructure.registry()::register);
    }

    private ListenerContainer container(ContainerSettings settings, HandlerInvoker invoker,
            Consumer<Exhaustion> exhaustion, DeliveryProcessor.Journal journal) {
        ContainerCounters counters = new ContainerCounters();
        HandlerDispatcher dispatcher = new HandlerDispatcher("ons-delay-" + settings.id(), settings.concurrency());
        DeliveryProcessor processor = new DeliveryProcessor(invoker, settings.producer(), settings.group(),
            infrastructure.sender(), infrastructure.converter(), exhaustion, defaults.deadLetterTopic(),
            dispatcher.threads(), counters, new DeliveryProcessor.Observations(infrastructure.observations(),
                infrastructure.convention(), infrastructure.events()), journal);
        ListenerContainerRegistry registry = infrastructure.registry();
        return new ListenerContainer(settings, invoker.description(), infrastructure.consumers(), dispatcher, processor,
            registry.timer(), registry.housekeeping(), counters);
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

    private @Nullable Integer concurrency(ConfigurableListableBeanFactory factory, Candidate candidate, String where,
            List<String> problems) {
        return attribute(factory, candidate.annotation.concurrency(), defaults.concurrency(), value -> {
            try {
                int concurrency = Integer.parseInt(value);
                return concurrency >= 1 ? concurrency : null;
            }
            catch (NumberFormatException ex) {
                return null;
            }
        }, where + ": concurrency '%s' is not a whole number of at least 1", problems);
    }

    private @Nullable Boolean autoStartup(ConfigurableListableBeanFactory factory, Candidate candidate, String where,
            List<String> problems) {
        return attribute(factory, candidate.annotation.autoStartup(), defaults.autoStartup(),
            value -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? Boolean.valueOf(value) : null,
            where + ": autoStartup '%s' is neither true nor false", problems);
    }

    /**
     * An annotation attribute after its placeholders are resolved: the default when it is blank, else the
     * parsed value; null (and a problem naming it) when it does not parse.
     */
    private static <T> @Nullable T attribute(ConfigurableListableBeanFactory factory, String attribute, T fallback,
            Function<String, @Nullable T> parser, String problem, List<String> problems) {
        String value = resolve(factory, attribute);
        if (value.isBlank()) {
            return fallback;
        }
        T parsed = parser.apply(value);
        if (parsed == null) {
            problems.add(problem.formatted(value));
        }
        return parsed;
    }

    /** The {@link OnsExhausted} method of the listener's bean that serves its group, or null for none. */
    private static @Nullable Consumer<Exhaustion> exhaustionMethod(ConfigurableListableBeanFactory factory,
            Candidate candidate, String group, List<String> problems) {
        for (Map.Entry<Method, OnsExhausted> entry : candidate.exhaustedMethods.entrySet()) {
            String[] groups = entry.getValue().groups();
            if (groups.length != 0 && !Arrays.asList(groups).contains(group)) {
                continue;
            }
            Method method = entry.getKey();
            if (method.getParameterCount() != 1 || method.getParameterTypes()[0] != Exhaustion.class) {
                problems.add("@OnsExhausted method " + HandlerInvoker.describe(candidate.targetClass, method)
                    + " (bean '" + candidate.beanName + "') must take exactly one Exhaustion parameter");
                return null;
            }
            Class<?> beanType = factory.getType(candidate.beanName, false);
            Method invocable = beanType == null ? method : AopUtils.selectInvocableMethod(method, beanType);
            ReflectionUtils.makeAccessible(invocable);
            return exhaustion -> invoke(invocable, factory.getBean(candidate.beanName), exhaustion);
        }
        return null;
    }

    /** The one {@link ExhaustionHandler} bean (or the primary one), else a WARN log line. */
    private static Consumer<Exhaustion> sharedExhaustionHandler(ConfigurableListableBeanFactory factory,
            List<String> problems) {
        String[] names = factory.getBeanNamesForType(ExhaustionHandler.class);
        if (names.length == 0) {
            return OnsListenerMethodProcessor::logExhaustion;
        }
        ExhaustionHandler handler = factory.getBeanProvider(ExhaustionHandler.class).getIfUnique();
        if (handler == null) {
            problems.add("There are " + names.length + " ExhaustionHandler beans (" + String.join(", ", names)
                + ") and none is @Primary: mark the one to use @Primary, or keep one");
            return OnsListenerMethodProcessor::logExhaustion;
        }
        return handler::onExhausted;
    }

    private static void invoke(Method method, Object bean, Exhaustion exhaustion) {
        try {
            method.invoke(bean, exhaustion);
        }
        catch (InvocationTargetException ex) {
            Throwable cause = ex.getTargetException();
            throw cause instanceof RuntimeException runtime ? runtime
                : new OnsDelayException("Exhaustion handler failed: " + cause, cause);
        }
        catch (IllegalAccessException ex) {
            throw new OnsDelayException("Exhaustion handler is not accessible", ex);
        }
    }

    static void logExhaustion(Exhaustion exhaustion) {
        var context = exhaustion.context();
        LOG.warn("Message exhausted (" + exhaustion.reason() + "): producer '" + context.producer() + "', group '"
            + context.group() + "', key '" + context.businessKey() + "', " + (context.attempt() + 1)
            + " attempt(s), last error: " + exhaustion.lastError());
    }

    private static String resolve(ConfigurableListableBeanFactory factory, String value) {
        String resolved = factory.resolveEmbeddedValue(value);
        return resolved == null ? "" : resolved.trim();
    }

    private record Candidate(String beanName, Class<?> targetClass, Method method, OnsListener annotation,
            Map<Method, OnsExhausted> exhaustedMethods) {
    }

}
