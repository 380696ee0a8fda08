package io.github.onsdelay.consumer.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;

import io.github.onsdelay.consumer.DeliveryContext;
import io.github.onsdelay.producer.OnsConfigurationException;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ReflectionUtils;

/**
 * A listener method checked once at start-up: it takes the payload and optionally a
 * {@link DeliveryContext}, in either order, and returns nothing or a boolean.
 */
public final class ListenerMethod {

    private final Object bean;

    private final Method method;

    private final String description;

    private final Type payloadType;

    private final int payloadIndex;

    private final int contextIndex;

    private final boolean returnsBoolean;

    private ListenerMethod(Object bean, Method method, String description, Type payloadType, int payloadIndex,
            int contextIndex, boolean returnsBoolean) {
        this.bean = bean;
        this.method = method;
        this.description = description;
        this.payloadType = payloadType;
        this.payloadIndex = payloadIndex;
        this.contextIndex = contextIndex;
        this.returnsBoolean = returnsBoolean;
    }

    /** {@code BeanClass.method(ParamTypes)}, as start-up errors name it. */
    public static String describe(Class<?> beanClass, Method method) {
        StringBuilder text = new StringBuilder(beanClass.getSimpleName()).append('.').append(method.getName()).append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            text.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
        }
        return text.append(')').toString();
    }

    static ListenerMethod of(Object bean, Class<?> beanClass, Method method) {
        String description = describe(beanClass, method);
        Type[] parameters = method.getGenericParameterTypes();
        Class<?>[] raw = method.getParameterTypes();
        boolean suspending = raw.length > 0 && raw[raw.length - 1].getName().equals("kotlin.coroutines.Continuation");
        if (suspending) {
            throw invalid(description, "suspend functions are not supported; declare a plain function");
        }
        int contextIndex = -1;
        int payloadIndex = -1;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == DeliveryContext.class && contextIndex < 0) {
                contextIndex = i;
            }
            else if (payloadIndex < 0) {
                payloadIndex = i;
            }
            else {
                throw invalid(description, "it takes more than the payload and a DeliveryContext");
            }
        }
        if (payloadIndex < 0) {
            throw invalid(description, "it takes no payload parameter");
        }
        Class<?> returnType = method.getReturnType();
        boolean returnsBoolean = returnType == boolean.class || returnType == Boolean.class;
        if (!returnsBoolean && returnType != void.class && !returnType.getName().equals("kotlin.Unit")) {
            throw invalid(description, "it returns " + returnType.getSimpleName()
                + "; return nothing (success unless it throws) or a boolean (false means failure)");
        }
        ReflectionUtils.makeAccessible(method);
        return new ListenerMethod(bean, method, description, parameters[payloadIndex], payloadIndex, contextIndex,
            returnsBoolean);
    }

    private static OnsConfigurationException invalid(String description, String reason) {
        return new OnsConfigurationException("@OnsListener method " + description + " has an unsupported signature: "
            + reason + ". Supported: (Payload), (Payload, DeliveryContext), (DeliveryContext, Payload), returning "
            + "void or boolean.");
    }

    public Type payloadType() {
        return payloadType;
    }

    public String description() {
        return description;
    }

    /**
     * Runs the handler.
     * @return whether it succeeded: false when it returned {@code false}
     * @throws Throwable what the handler threw
     */
    boolean invoke(Object payload, DeliveryContext context) throws Throwable {
        Object[] args = new Object[contextIndex >= 0 ? 2 : 1];
        args[payloadIndex] = payload;
        if (contextIndex >= 0) {
            args[contextIndex] = context;
        }
        @Nullable Object result;
        try {
            result = method.invoke(bean, args);
        }
        catch (InvocationTargetException ex) {
            throw ex.getTargetException();
        }
        return !returnsBoolean || Boolean.TRUE.equals(result);
    }

}
