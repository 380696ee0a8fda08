package io.github.onsdelay.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.github.onsdelay.consumer.DeliveryContext;
import io.github.onsdelay.consumer.Exhaustion;
import io.github.onsdelay.consumer.OnsExhausted;
import io.github.onsdelay.consumer.OnsListener;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.javapoet.ClassName;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;

class OnsListenerBeanRegistrationAotProcessorTests {

    private final OnsListenerBeanRegistrationAotProcessor processor = new OnsListenerBeanRegistrationAotProcessor();

    @Test
    void listenerMethodsPayloadTypesAndExhaustionMethodsGetHints() throws Exception {
        RuntimeHints hints = process(Listener.class);

        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Listener.class.getDeclaredMethod("handle",
            Order.class, DeliveryContext.class))).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Listener.class.getDeclaredMethod("giveUp",
            Exhaustion.class))).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(Listener.class)
            .withMemberCategory(MemberCategory.INTROSPECT_DECLARED_METHODS)).accepts(hints);
        // Payload types are read by reflection: their constructors and accessors, and the generic ones' elements.
        assertThat(RuntimeHintsPredicates.reflection().onType(Order.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(Line.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(DeliveryContext.class)).rejects(hints);
    }

    @Test
    void aBeanWithoutListenersContributesNothing() {
        assertThat(contribution(String.class)).isNull();
    }

    private RuntimeHints process(Class<?> beanClass) {
        DefaultGenerationContext generationContext = new DefaultGenerationContext(
            new ClassNameGenerator(ClassName.get(Listener.class)), new InMemoryGeneratedFiles());
        BeanRegistrationAotContribution contribution = contribution(beanClass);
        assertThat(contribution).isNotNull();
        contribution.applyTo(generationContext, null);
        return generationContext.getRuntimeHints();
    }

    private BeanRegistrationAotContribution contribution(Class<?> beanClass) {
        DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
        beanFactory.registerBeanDefinition("bean", new RootBeanDefinition(beanClass));
        return processor.processAheadOfTime(RegisteredBean.of(beanFactory, "bean"));
    }

    record Line(String sku) {
    }

    record Order(String id, List<Line> lines) {
    }

    static class Listener {

        @OnsListener(producer = "orders", group = "orders-group")
        void handle(Order order, DeliveryContext context) {
        }

        @OnsExhausted
        void giveUp(Exhaustion exhaustion) {
        }

    }

}
