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
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.github.onsdelay.consumer.Exhaustion;
import io.github.onsdelay.consumer.ExhaustionHandler;
import io.github.onsdelay.consumer.OnsExhausted;
import io.github.onsdelay.consumer.OnsListener;
import io.github.onsdelay.producer.AbstractProducer;
import io.github.onsdelay.producer.OnsConfigurationException;
import io.github.onsdelay.producer.OnsDelayException;
import io.github.onsdelay.producer.internal.DelayMessageSender;
import io.github.onsdelay.producer.internal.OutgoingMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.FilterExpressionType;
import org.apache.rocketmq.client.apis.consumer.PushConsumerBuilder;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds {@link OnsListener} and {@link OnsExhausted} methods on beans, checks them once every singleton
 * exists (resolved annotation values, producer, group, signature), and registers one
 * {@link ListenerContainer} per listener. All problems are reported at once, naming bean and method.
 */
public class OnsListenerAnnotationBeanPostProcessor implements BeanPostProcessor, SmartInitializingSingleton,
        BeanFactoryAware {

    private static final Log LOG = LogFactory.getLog(OnsListenerAnnotationBeanPostProcessor.class);

    private static final Pattern GROUP = Pattern.compile("[%|a-zA-Z0-9_-]{1,255}");

    private final List<Candidate> candidates = new ArrayList<>();

    private final Map<Object, Map<Method, OnsExhausted>> exhaustedMethods = new LinkedHashMap<>();

    private @Nullable ConfigurableListableBeanFactory beanFactory;

    /** What a listener needs from the rest of the application, looked up once singletons exist. */
    public record Infrastructure(DelayMessageSender sender, ListenerContainerRegistry registry,
            Supplier<PushConsumerBuilder> consumerBuilder, @Nullable String deadLetterTopic) {
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        Map<Method, OnsListener> listeners = MethodIntrospector.selectMethods(targetClass,
            (MethodIntrospector.MetadataLookup<OnsListener>) method ->
                AnnotatedElementUtils.findMergedAnnotation(method, OnsListener.class));
        Map<Method, OnsExhausted> exhausted = MethodIntrospector.selectMethods(targetClass,
            (MethodIntrospector.MetadataLookup<OnsExhausted>) method ->
                AnnotatedElementUtils.findMergedAnnotation(method, OnsExhausted.class));
        listeners.forEach((method, annotation) -> candidates.add(new Candidate(beanName, bean, targetClass,
            AopUtils.selectInvocableMethod(method, bean.getClass()), annotation)));
        if (!exhausted.isEmpty()) {
            exhaustedMethods.put(bean, exhausted);
        }
        return bean;
    }

    @Override
    public void afterSingletonsInstantiated() {
        ConfigurableListableBeanFactory factory = this.beanFactory;
        if (factory == null || candidates.isEmpty()) {
            return;
        }
        Infrastructure infrastructure = factory.getBean(Infrastructure.class);
        Map<String, AbstractProducer> producers = new LinkedHashMap<>();
        factory.getBeansOfType(AbstractProducer.class).values()
            .forEach(producer -> producers.put(producer.getName(), producer));
        ObjectProvider<ExhaustionHandler> handlerBeans = factory.getBeanProvider(ExhaustionHandler.class);
        List<String> problems = new ArrayList<>();
        Map<String, Candidate> groups = new LinkedHashMap<>();
        List<ListenerContainer> containers = new ArrayList<>();
        for (Candidate candidate : candidates) {
            String where = "@OnsListener on " + ListenerMethod.describe(candidate.targetClass, candidate.method)
                + " (bean '" + candidate.beanName + "')";
            String producerName = resolve(factory, candidate.annotation.producer());
            String group = resolve(factory, candidate.annotation.group());
            AbstractProducer producer = producers.get(producerName);
            if (producer == null) {
                problems.add(where + ": producer '" + producerName + "' is not declared; known producers: "
                    + (producers.isEmpty() ? "none" : String.join(", ", producers.keySet()))
                    + " (declare it under mqs.ons.producers)");
                continue;
            }
            if (group.isBlank()) {
                problems.add(where + ": group is not set; give each listener a consumer group of its own");
                continue;
            }
            if (!GROUP.matcher(group).matches()) {
                problems.add(where + ": group '" + group + "' is not a valid consumer group name (letters, digits, "
                    + "'-', '_', '%', '|'; at most 255)");
                continue;
            }
            Candidate previous = groups.putIfAbsent(group, candidate);
            if (previous != null) {
                problems.add(where + ": group '" + group + "' is already used by @OnsListener on "
                    + ListenerMethod.describe(previous.targetClass, previous.method)
                    + "; one listener per group (a group has one subscription, and each message is handled once "
                    + "per group)");
                continue;
            }
            String topic = resolve(factory, candidate.annotation.topic());
            topic = topic.isBlank() ? String.valueOf(producer.getTopic()) : topic;
            String tag = resolve(factory, candidate.annotation.tag());
            tag = tag.isBlank() ? (producer.getTag() == null ? "*" : producer.getTag()) : tag;
            ListenerMethod listener;
            try {
                listener = ListenerMethod.of(candidate.bean, candidate.targetClass, candidate.method);
            }
            catch (OnsConfigurationException ex) {
                problems.add(ex.getMessage());
                continue;
            }
            Consumer<Exhaustion> exhaustion = exhaustion(candidate, group, handlerBeans, infrastructure,
                producer.getSendTimeout(), problems);
            DeliveryProcessor processor = new DeliveryProcessor(listener, producerName, group, producer.getSchedule(),
                producer.getSendTimeout(), infrastructure.sender(), exhaustion);
            containers.add(new ListenerContainer(group, listener.description(),
                Map.of(topic, new FilterExpression(tag, FilterExpressionType.TAG)), processor,
                infrastructure.consumerBuilder()));
        }
        if (!problems.isEmpty()) {
            throw new OnsConfigurationException("Invalid @OnsListener declarations:\n - "
                + String.join("\n - ", problems));
        }
        containers.forEach(infrastructure.registry()::register);
    }

    private Consumer<Exhaustion> exhaustion(Candidate candidate, String group, ObjectProvider<ExhaustionHandler> beans,
            Infrastructure infrastructure, Duration sendTimeout, List<String> problems) {
        Consumer<Exhaustion> handler = null;
        for (Map.Entry<Method, OnsExhausted> entry : exhaustedMethods.getOrDefault(candidate.bean, Map.of()).entrySet()) {
            String[] groups = entry.getValue().groups();
            if (groups.length == 0 || Arrays.asList(groups).contains(group)) {
                Method method = AopUtils.selectInvocableMethod(entry.getKey(), candidate.bean.getClass());
                if (method.getParameterCount() != 1 || method.getParameterTypes()[0] != Exhaustion.class) {
                    problems.add("@OnsExhausted method " + ListenerMethod.describe(candidate.targetClass, method)
                        + " must take exactly one Exhaustion parameter");
                    return exhaustion -> { };
                }
                ReflectionUtils.makeAccessible(method);
                handler = exhaustion -> invoke(method, candidate.bean, exhaustion);
                break;
            }
        }
        if (handler == null) {
            ExhaustionHandler bean = beans.getIfUnique();
            handler = bean != null ? bean::onExhausted : OnsListenerAnnotationBeanPostProcessor::logExhaustion;
        }
        String deadLetterTopic = infrastructure.deadLetterTopic();
        if (deadLetterTopic == null || deadLetterTopic.isBlank()) {
            return handler;
        }
        Consumer<Exhaustion> last = handler;
        return exhaustion -> {
            // Forwarded first: if this fails, the handler has not run yet and the broker delivers it again.
            var context = exhaustion.context();
            infrastructure.sender().sendAndWait(new OutgoingMessage(context.producer(), deadLetterTopic,
                context.tag().isEmpty() ? null : context.tag(), context.businessKey(), exhaustion.body(),
                context.attempt(), infrastructure.sender().clock().instant(), context.firstSentAt(), context.group()),
                sendTimeout);
            last.accept(exhaustion);
        };
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

    private record Candidate(String beanName, Object bean, Class<?> targetClass, Method method, OnsListener annotation) {
    }

}
