package io.github.onsdelay.embedded;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit Jupiter extension behind {@link EmbeddedRocketMQ}: obtains the shared server for the class's
 * settings, keeps it in the root store, and resolves {@link EmbeddedRocketMQBroker} parameters.
 */
public class EmbeddedRocketMQExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
        ExtensionContext.Namespace.create(EmbeddedRocketMQExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        broker(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == EmbeddedRocketMQBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return broker(extensionContext);
    }

    private static EmbeddedRocketMQBroker broker(ExtensionContext context) {
        EmbeddedRocketMQSettings settings = EmbeddedRocketMQSettings.of(findAnnotation(context));
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        // Held in a record, not as the broker: JUnit closes AutoCloseable store values when the run ends, and
        // the shared server must outlive Spring's cached contexts (see SharedBrokers).
        EmbeddedRocketMQBroker broker = store.computeIfAbsent(settings.serverKey(),
            key -> new SharedBroker(SharedBrokers.obtain(settings)), SharedBroker.class).broker();
        // A restart test may have left the shared server stopped: start() is a no-op when it runs.
        broker.start();
        settings.applyTo(broker);
        return broker;
    }

    private record SharedBroker(EmbeddedRocketMQBroker broker) {
    }

    private static EmbeddedRocketMQ findAnnotation(ExtensionContext context) {
        for (Class<?> type = context.getRequiredTestClass(); type != null; type = type.getEnclosingClass()) {
            var found = AnnotationSupport.findAnnotation(type, EmbeddedRocketMQ.class);
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new ParameterResolutionException("No @EmbeddedRocketMQ on " + context.getRequiredTestClass().getName()
            + " or its enclosing classes");
    }

}
