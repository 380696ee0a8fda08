package io.github.onsdelay.consumer.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.github.onsdelay.consumer.DeliveryContext;
import io.github.onsdelay.core.OnsConfigurationException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.CoroutinesUtils;
import org.springframework.core.KotlinDetector;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.HandlerMethod;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolverComposite;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.util.ClassUtils;

/**
 * Runs one {@code @OnsListener} method through spring-messaging's {@link InvocableHandlerMethod}: the payload
 * and the {@link DeliveryContext} are resolved as arguments, and every handler form gives the same outcome,
 * a future of whether it succeeded.
 * <ul>
 * <li>a blocking method: success unless it throws, or {@code false} when it returns a boolean;</li>
 * <li>a method returning a {@link CompletionStage}: its completion, {@code false} meaning failure;</li>
 * <li>a Kotlin {@code suspend} function, through Spring's coroutine support: it holds no thread while it
 * suspends.</li>
 * </ul>
 * Its signature is checked once at start-up; the bean is looked up at the first message, so a listener on a
 * {@code @Lazy} bean is found without creating the bean early.
 */
final class HandlerInvoker {

    private static final String CONTEXT_HEADER = "onsDelayDeliveryContext";

    private static final String CONTINUATION = "kotlin.coroutines.Continuation";

    private final String beanName;

    private final BeanFactory beanFactory;

    private final Method method;

    private final String description;

    private final Type payloadType;

    private final boolean returnsBoolean;

    private final boolean suspending;

    private volatile @Nullable InvocableHandlerMethod invocable;

    private HandlerInvoker(String beanName, BeanFactory beanFactory, Method method, String description, Type payloadType,
            boolean returnsBoolean, boolean suspending) {
        this.beanName = beanName;
        this.beanFactory = beanFactory;
        this.method = method;
        this.description = description;
        this.payloadType = payloadType;
        this.returnsBoolean = returnsBoolean;
        this.suspending = suspending;
    }

    /** {@code BeanClass.method(ParamTypes)}, as start-up errors name it. */
    static String describe(Class<?> beanClass, Method method) {
        StringBuilder text = new StringBuilder(beanClass.getSimpleName()).append('.').append(method.getName()).append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            text.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
        }
        return text.append(')').toString();
    }

    /**
     * Checks the method's signature.
     * @throws OnsConfigurationException naming the method and what is wrong with it
     */
    static HandlerInvoker of(String beanName, BeanFactory beanFactory, Class<?> beanClass, Method method) {
        String description = describe(beanClass, method);
        boolean suspending = KotlinDetector.isSuspendingFunction(method);
        if (suspending && !ClassUtils.isPresent("kotlinx.coroutines.reactor.MonoKt", HandlerInvoker.class.getClassLoader())) {
            throw new OnsConfigurationException("@OnsListener method " + description + " is a suspend function: add "
                + "org.jetbrains.kotlinx:kotlinx-coroutines-reactor to the application, which Spring's coroutine "
                + "support needs to run it");
        }
        Class<?>[] raw = method.getParameterTypes();
        int parameters = suspending ? raw.length - 1 : raw.length;
        int payloadIndex = -1;
        boolean context = false;
        for (int i = 0; i < parameters; i++) {
            if (raw[i] == DeliveryContext.class && !context) {
                context = true;
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
        boolean returnsStage = CompletionStage.class.isAssignableFrom(returnType);
        if (!suspending && !returnsBoolean && !returnsStage && returnType != void.class
                && !returnType.getName().equals("kotlin.Unit")) {
            throw invalid(description, "it returns " + returnType.getSimpleName());
        }
        return new HandlerInvoker(beanName, beanFactory, method, description,
            method.getGenericParameterTypes()[payloadIndex], returnsBoolean, suspending);
    }

    private static OnsConfigurationException invalid(String description, String reason) {
        return new OnsConfigurationException("@OnsListener method " + description + " has an unsupported signature: "
            + reason + ". Supported: (Payload) or (Payload, DeliveryContext) in either order, returning nothing, a "
            + "boolean (false means failure) or a CompletionStage of either; or a Kotlin suspend function of those.");
    }

    /** Whether the method blocks until done: it neither suspends nor returns a stage. */
    boolean blocking() {
        return !suspending && !CompletionStage.class.isAssignableFrom(method.getReturnType());
    }

    Type payloadType() {
        return payloadType;
    }

    String description() {
        return description;
    }

    /**
     * Runs the handler on the calling thread until it returns (or first suspends).
     * @return whether it succeeded; completes exceptionally with what it threw
     */
    CompletableFuture<Boolean> invoke(Object payload, DeliveryContext context) {
        Object result;
        try {
            result = invocable().invoke(new GenericMessage<>(payload, Map.of(CONTEXT_HEADER, context)));
        }
        catch (Throwable ex) {
            return CompletableFuture.failedFuture(ex);
        }
        if (suspending) {
            return ReactorFutures.toFuture(result).thenApply(HandlerInvoker::succeeded);
        }
        if (result instanceof CompletionStage<?> stage) {
            return stage.toCompletableFuture().thenApply(HandlerInvoker::succeeded);
        }
        return CompletableFuture.completedFuture(!returnsBoolean || Boolean.TRUE.equals(result));
    }

    private static boolean succeeded(@Nullable Object value) {
        return !Boolean.FALSE.equals(value);
    }

    private InvocableHandlerMethod invocable() {
        InvocableHandlerMethod current = this.invocable;
        if (current == null) {
            synchronized (this) {
                current = this.invocable;
                if (current == null) {
                    HandlerMethod resolved = new HandlerMethod(beanName, beanFactory, method).createWithResolvedBean();
                    current = suspending ? new SuspendingHandlerMethod(resolved) : new InvocableHandlerMethod(resolved);
                    HandlerMethodArgumentResolverComposite resolvers = new HandlerMethodArgumentResolverComposite();
                    resolvers.addResolvers(new ContinuationResolver(), new DeliveryContextResolver(), new PayloadResolver());
                    current.setMessageMethodArgumentResolvers(resolvers);
                    this.invocable = current;
                }
            }
        }
        return current;
    }

    /** Invokes a suspend function through Spring's coroutine support instead of calling it directly. */
    private static final class SuspendingHandlerMethod extends InvocableHandlerMethod {

        SuspendingHandlerMethod(HandlerMethod handlerMethod) {
            super(handlerMethod);
        }

        @Override
        protected @Nullable Object doInvoke(@Nullable Object... args) {
            return CoroutinesUtils.invokeSuspendingFunction(getBridgedMethod(), getBean(), args);
        }

    }

    /** The Kotlin continuation of a suspend function is supplied by the coroutine support, not resolved. */
    private static final class ContinuationResolver implements HandlerMethodArgumentResolver {

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType().getName().equals(CONTINUATION);
        }

        @Override
        public @Nullable Object resolveArgument(MethodParameter parameter, Message<?> message) {
            return null;
        }

    }

    private static final class DeliveryContextResolver implements HandlerMethodArgumentResolver {

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == DeliveryContext.class;
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, Message<?> message) {
            return message.getHeaders().get(CONTEXT_HEADER);
        }

    }

    /** Every other parameter is the payload: the signature check allows exactly one. */
    private static final class PayloadResolver implements HandlerMethodArgumentResolver {

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return true;
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, Message<?> message) {
            return message.getPayload();
        }

    }

    /** Apart, so that Reactor is loaded only for suspend functions (Spring's coroutine support brings it). */
    private static final class ReactorFutures {

        static CompletableFuture<Object> toFuture(@Nullable Object publisher) {
            return reactor.core.publisher.Mono.<Object>from((org.reactivestreams.Publisher<?>) publisher).toFuture();
        }

    }

}
