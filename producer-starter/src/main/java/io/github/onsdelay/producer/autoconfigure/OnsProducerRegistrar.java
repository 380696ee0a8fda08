package io.github.onsdelay.producer.autoconfigure;

import java.util.Set;

import io.github.onsdelay.producer.DelayProducer;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Registers one {@link DelayProducer} bean per {@code mqs.ons.producers} entry that no {@code AbstractProducer}
 * subclass covers, named after its key. Each is the registry's producer of that name, obtained through a
 * factory method, so that ahead-of-time processing writes these definitions out as plain code (and this
 * registrar then does not run again).
 */
class OnsProducerRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware,
        BeanRegistrationAotProcessor {

    static final String REGISTRY_BEAN_NAME = "onsProducerRegistry";

    private @Nullable Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        Environment env = this.environment;
        if (env == null || !(registry instanceof ConfigurableListableBeanFactory beanFactory)) {
            return;
        }
        Set<String> covered = ProducerNames.subclasses(beanFactory).keySet();
        Set<String> declared = Binder.get(env).bind("mqs.ons", Bindable.of(OnsProducerProperties.class))
            .map(properties -> properties.getProducers().keySet())
            .orElse(Set.of());
        for (String name : declared) {
            if (!covered.contains(name) && !registry.containsBeanDefinition(name)) {
                RootBeanDefinition definition = new RootBeanDefinition();
                definition.setFactoryBeanName(REGISTRY_BEAN_NAME);
                definition.setFactoryMethodName("getProducer");
                definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
                definition.setTargetType(DelayProducer.class);
                registry.registerBeanDefinition(name, definition);
            }
        }
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    }

    /** The registrar itself is left out of ahead-of-time generated code: its definitions are written instead. */
    @Override
    public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
        return null;
    }

}
