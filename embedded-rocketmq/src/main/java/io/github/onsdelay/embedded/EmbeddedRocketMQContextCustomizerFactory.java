package io.github.onsdelay.embedded;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Gives a Spring test context of an {@link EmbeddedRocketMQ} class the server's endpoint; registered in
 * {@code META-INF/spring.factories}.
 */
class EmbeddedRocketMQContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        EmbeddedRocketMQ annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass, EmbeddedRocketMQ.class);
        return annotation == null ? null : new EmbeddedRocketMQContextCustomizer(EmbeddedRocketMQSettings.of(annotation));
    }

}
