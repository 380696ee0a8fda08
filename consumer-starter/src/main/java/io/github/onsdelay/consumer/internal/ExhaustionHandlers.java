package io.github.onsdelay.consumer.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.github.onsdelay.consumer.Exhaustion;
import io.github.onsdelay.consumer.ExhaustionHandler;
import io.github.onsdelay.consumer.OnsExhausted;
import io.github.onsdelay.core.OnsDelayException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ReflectionUtils;

/**
 * Chooses what runs last for a listener's exhausted message: the {@link OnsExhausted} method of the listener's
 * bean that serves its group, else the one {@link ExhaustionHandler} bean (or the {@code @Primary} one), else a
 * WARN log line with producer, group, key and attempts. Problems (a method of the wrong shape, two handlers
 * without a primary) are added to the start-up report.
 */
final class ExhaustionHandlers {

    private static final Log LOG = LogFactory.getLog(ExhaustionHandlers.class);

    private final ConfigurableListableBeanFactory factory;

    private final List<String> problems;

    private final Consumer<Exhaustion> shared;

    ExhaustionHandlers(ConfigurableListableBeanFactory factory, List<String> problems) {
        this.factory = factory;
        this.problems = problems;
        this.shared = shared();
    }

    /** The exhaustion handler of a listener of {@code group} on bean {@code beanName}. */
    Consumer<Exhaustion> of(String beanName, Class<?> targetClass, Map<Method, OnsExhausted> exhaustedMethods,
            String group) {
        for (Map.Entry<Method, OnsExhausted> entry : exhaustedMethods.entrySet()) {
            String[] groups = entry.getValue().groups();
            if (groups.length != 0 && !Arrays.asList(groups).contains(group)) {
                continue;
            }
            Method method = entry.getKey();
            if (method.getParameterCount() != 1 || method.getParameterTypes()[0] != Exhaustion.class) {
                problems.add("@OnsExhausted method " + HandlerInvoker.describe(targetClass, method) + " (bean '"
                    + beanName + "') must take exactly one Exhaustion parameter");
                return shared;
            }
            Class<?> beanType = factory.getType(beanName, false);
            Method invocable = beanType == null ? method : AopUtils.selectInvocableMethod(method, beanType);
            ReflectionUtils.makeAccessible(invocable);
            return exhaustion -> invoke(invocable, factory.getBean(beanName), exhaustion);
        }
        return shared;
    }

    private Consumer<Exhaustion> shared() {
        String[] names = factory.getBeanNamesForType(ExhaustionHandler.class);
        if (names.length == 0) {
            return ExhaustionHandlers::log;
        }
        ExhaustionHandler handler = factory.getBeanProvider(ExhaustionHandler.class).getIfUnique();
        if (handler == null) {
            problems.add("There are " + names.length + " ExhaustionHandler beans (" + String.join(", ", names)
                + ") and none is @Primary: mark the one to use @Primary, or keep one");
            return ExhaustionHandlers::log;
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

    static void log(Exhaustion exhaustion) {
        var context = exhaustion.context();
        LOG.warn("Message exhausted (" + exhaustion.reason() + "): producer '" + context.producer() + "', group '"
            + context.group() + "', key '" + context.businessKey() + "', " + (context.attempt() + 1)
            + " attempt(s), last error: " + exhaustion.lastError());
    }

}
