package io.github.onsdelay.embedded;

import java.time.Duration;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit Jupiter extension behind {@link EmbeddedRocketMQClusterTest}: starts the class's cluster, keeps it in the
 * class's store (JUnit closes it after the class), and resolves {@link EmbeddedRocketMQCluster} parameters.
 */
public class EmbeddedRocketMQClusterExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
        ExtensionContext.Namespace.create(EmbeddedRocketMQClusterExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == EmbeddedRocketMQCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return cluster(extensionContext);
    }

    private static EmbeddedRocketMQCluster cluster(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        EmbeddedRocketMQClusterTest annotation = AnnotationSupport.findAnnotation(testClass,
            EmbeddedRocketMQClusterTest.class).orElseThrow(() -> new ParameterResolutionException(
                "No @EmbeddedRocketMQClusterTest on " + testClass.getName()));
        // The class's own store: the cluster is closed (AutoCloseable) once the class's tests are done.
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(NAMESPACE).computeIfAbsent(testClass, key -> start(annotation),
            EmbeddedRocketMQCluster.class);
    }

    private static EmbeddedRocketMQCluster start(EmbeddedRocketMQClusterTest annotation) {
        EmbeddedRocketMQCluster.Builder builder = EmbeddedRocketMQCluster.builder().brokers(annotation.brokers())
            .timerPrecision(Duration.ofMillis(annotation.timerPrecisionMs()))
            .maxDelay(EmbeddedRocketMQSettings.parseDuration("maxDelay", annotation.maxDelay()));
        for (String topic : annotation.topics()) {
            builder.topic(topic, TopicMessageType.DELAY);
        }
        return builder.build().start();
    }

}
