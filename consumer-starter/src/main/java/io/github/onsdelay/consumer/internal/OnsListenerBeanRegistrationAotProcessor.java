package io.github.onsdelay.consumer.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.github.onsdelay.consumer.DeliveryContext;
import io.github.onsdelay.consumer.OnsExhausted;
import io.github.onsdelay.consumer.OnsListener;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.KotlinDetector;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Registers, ahead of time, what finding and running {@code @OnsListener} methods reflects on: the bean
 * class's declared methods (they are searched at start-up), the listener and exhaustion methods (invoked),
 * and the payload types (converted from JSON by reflection). Listed in {@code META-INF/spring/aot.factories}.
 */
class OnsListenerBeanRegistrationAotProcessor implements BeanRegistrationAotProcessor {

    @Override
    public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
        Class<?> beanClass = ClassUtils.getUserClass(registeredBean.getBeanClass());
        Map<Method, OnsListener> listeners = MethodIntrospector.selectMethods(beanClass,
            (MethodIntrospector.MetadataLookup<OnsListener>) method ->
                AnnotatedElementUtils.findMergedAnnotation(method, OnsListener.class));
        if (listeners.isEmpty()) {
            return null;
        }
        Set<Method> exhausted = MethodIntrospector.selectMethods(beanClass,
            (MethodIntrospector.MetadataLookup<OnsExhausted>) method ->
                AnnotatedElementUtils.findMergedAnnotation(method, OnsExhausted.class)).keySet();
        return (generationContext, code) -> {
            ReflectionHints hints = generationContext.getRuntimeHints().reflection();
            hints.registerType(beanClass, MemberCategory.INTROSPECT_DECLARED_METHODS);
            Set<Type> payloads = new LinkedHashSet<>();
            listeners.keySet().forEach(method -> {
                hints.registerMethod(method, ExecutableMode.INVOKE);
                payloads.addAll(payloadTypes(method));
            });
            exhausted.forEach(method -> hints.registerMethod(method, ExecutableMode.INVOKE));
            new BindingReflectionHintsRegistrar().registerReflectionHints(hints, payloads.toArray(Type[]::new));
        };
    }

    /** The parameter types a listener's payload may have: all but the context and a Kotlin continuation. */
    static Set<Type> payloadTypes(Method method) {
        Set<Type> types = new LinkedHashSet<>();
        Class<?>[] raw = method.getParameterTypes();
        Type[] generic = method.getGenericParameterTypes();
        int parameters = KotlinDetector.isSuspendingFunction(method) ? raw.length - 1 : raw.length;
        for (int i = 0; i < parameters; i++) {
            if (raw[i] != DeliveryContext.class) {
                types.add(generic[i]);
            }
        }
        return types;
    }

}
