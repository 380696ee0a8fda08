package io.github.onsdelay.consumer.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.onsdelay.consumer.DeliveryContext;
import io.github.onsdelay.consumer.Exhaustion;
import io.github.onsdelay.consumer.ExhaustionHandler;
import io.github.onsdelay.consumer.ExhaustionRecoverer;
import io.github.onsdelay.consumer.OnsDeliveryFilter;
import io.github.onsdelay.consumer.OnsExhausted;
import io.github.onsdelay.consumer.OnsListener;
import io.github.onsdelay.consumer.OnsListenerContainer;
import io.github.onsdelay.consumer.OnsListenerContainerFactory;
import io.github.onsdelay.consumer.OnsListenerRegistry;
import io.github.onsdelay.core.PayloadConverter;
import io.github.onsdelay.core.autoconfigure.OnsClientAutoConfiguration;
import io.github.onsdelay.producer.autoconfigure.OnsProducerAutoConfiguration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Primary;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.annotation.Order;

/** No server runs here: with auto-startup off, containers are registered but not started. */
class OnsConsumerAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(OnsClientAutoConfiguration.class, OnsProducerAutoConfiguration.class,
            OnsConsumerAutoConfiguration.class))
        .withPropertyValues("mqs.ons.endpoints=127.0.0.1:1", "mqs.ons.consumer.auto-startup=false",
            "mqs.ons.producers.orders.topic=order_cancel", "mqs.ons.producers.orders.tag=cancel");

    @Nested
    class Listeners {

        @Test
        void oneContainerPerListenerSubscribedToTheProducersTopicAndTag() {
            runner.withBean(Valid.class).run(context -> {
                assertThat(context).hasNotFailed();
                OnsListenerRegistry registry = context.getBean(OnsListenerRegistry.class);
                assertThat(registry.getListenerContainerIds()).containsExactly("orders-group");
                OnsListenerContainer container = registry.getListenerContainer("orders-group");
                assertThat(container.getGroup()).isEqualTo("orders-group");
                assertThat(container.getProducer()).isEqualTo("orders");
                assertThat(container.getSubscription()).containsExactly(java.util.Map.entry("order_cancel", "cancel"));
                assertThat(container.getListenerDescription()).isEqualTo("Valid.handle(String)");
                assertThat(container.getConcurrency()).isEqualTo(20);
                assertThat(container.isAutoStartup()).isFalse();
                assertThat(container.getState()).isEqualTo(OnsListenerContainer.State.STOPPED);
            });
        }

        @Test
        void attributesSetIdConcurrencyAndAutoStartupWithPlaceholders() {
            runner.withBean(Attributes.class).withPropertyValues("app.group=resolved-group", "app.tag=vip||cancel",
                    "app.threads=3")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    OnsListenerContainer container = context.getBean(OnsListenerRegistry.class)
                        .getListenerContainer("order-listener");
                    assertThat(container.getGroup()).isEqualTo("resolved-group");
                    assertThat(container.getSubscription()).containsEntry("order_cancel", "vip||cancel");
                    assertThat(container.getConcurrency()).isEqualTo(3);
                    assertThat(container.isAutoStartup()).isFalse();
                });
        }

        @Test
        void concurrencyDefaultsToTheProperty() {
            runner.withBean(Valid.class).withPropertyValues("mqs.ons.consumer.concurrency=4")
                .run(context -> assertThat(context.getBean(OnsListenerRegistry.class)
                    .getListenerContainer("orders-group").getConcurrency()).isEqualTo(4));
        }

        @Test
        void aListenerOnALazyBeanIsFoundWithoutCreatingTheBean() {
            runner.withUserConfiguration(LazyConfig.class).run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(OnsListenerRegistry.class).getListenerContainerIds())
                    .containsExactly("lazy-group");
                assertThat(LazyListener.created).hasValue(0);
            });
        }

        @Test
        void handlerFormsAreAccepted() {
            runner.withBean(Futures.class).run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(OnsListenerRegistry.class).getListenerContainerIds())
                    .containsExactlyInAnyOrder("future-group", "boolean-future-group");
            });
        }

        @Test
        void theFactoryIsConfiguredFromThePropertiesAndTheFilterAndRecovererBeansInOrder() {
            runner.withBean(Valid.class).withUserConfiguration(RolesConfig.class)
                .withPropertyValues("mqs.ons.consumer.receive-batch-size=16", "mqs.ons.consumer.handler-timeout=45s",
                    "mqs.ons.consumer.max-deliveries=5", "mqs.ons.consumer.dead-letter-topic=orders_dlq")
                .run(context -> {
                    OnsListenerContainerFactory factory = context.getBean(OnsListenerContainerFactory.class);
                    assertThat(factory.getReceiveBatchSize()).isEqualTo(16);
                    assertThat(factory.getHandlerTimeout()).isEqualTo(Duration.ofSeconds(45));
                    assertThat(factory.getMaxDeliveries()).isEqualTo(5);
                    assertThat(factory.getFilters()).containsExactly(RolesConfig.FIRST, RolesConfig.SECOND);
                    // The dead-letter forward first (its order), then the application's own.
                    assertThat(factory.getRecoverers()).hasSize(2).last().isSameAs(RolesConfig.RECOVERER);
                    assertThat(factory.getRecoverers().get(0).toString()).contains("orders_dlq");
                });
        }

        @Test
        void aListenerBuiltByAFactoryOfItsOwnTakesItsSettings() {
            runner.withBean(OwnFactory.class).withUserConfiguration(OwnFactoryConfig.class).run(context -> {
                assertThat(context).hasNotFailed();
                OnsListenerContainer container = context.getBean(OnsListenerRegistry.class)
                    .getListenerContainer("own-factory-group");
                assertThat(container.getConcurrency()).isEqualTo(3);
            });
        }

        @Test
        void aCustomizerHasTheLastWordOnTheFactory() {
            runner.withBean(Valid.class).withBean(OnsListenerContainerFactoryCustomizer.class,
                    () -> factory -> factory.concurrency(7))
                .withPropertyValues("mqs.ons.consumer.concurrency=4")
                .run(context -> assertThat(context.getBean(OnsListenerRegistry.class).getListenerContainer("orders-group")
                    .getConcurrency()).isEqualTo(7));
        }

        @Test
        void withoutListenersNoContainer() {
            runner.run(context -> assertThat(context.getBean(OnsListenerRegistry.class).getListenerContainers()).isEmpty());
        }

        @Test
        void aPrimaryExhaustionHandlerAmongSeveralIsAccepted() {
            runner.withBean(Valid.class).withUserConfiguration(PrimaryHandlerConfig.class)
                .run(context -> assertThat(context).hasNotFailed());
        }

    }

    @Nested
    class PayloadPreparation {

        @Test
        void theConverterIsPreparedForWhatEveryTypeSharesAndForEachListenersPayloadTypeBeforeTheStart() {
            RecordingConverter converter = new RecordingConverter();
            runner.withBean(Valid.class).withBean(Typed.class).withBean(PayloadConverter.class, () -> converter)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(converter.prepared).extracting(Type::getTypeName).containsExactlyInAnyOrder(
                        "java.lang.Object", "java.lang.String", "java.util.Map<java.lang.String, java.lang.Integer>");
                });
        }

    }

    /** Records what it was asked to prepare; converts nothing. */
    static final class RecordingConverter implements PayloadConverter {

        final List<Type> prepared = new CopyOnWriteArrayList<>();

        @Override
        public byte[] toBody(Object payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object fromBody(byte[] body, Type type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void prepare(Type type) {
            prepared.add(type);
        }

    }

    static class Typed {

        @OnsListener(producer = "orders", group = "typed-group")
        void handle(Map<String, Integer> counts) {
        }

    }

    @Nested
    class StartupErrors {

        @Test
        void unknownProducer() {
            runner.withBean(UnknownProducer.class).run(context -> assertFailure(context.getStartupFailure(),
                "@OnsListener on UnknownProducer.handle(String) (bean '", "producer 'order' is not declared; known "
                    + "producers: orders (declare it under mqs.ons.producers)"));
        }

        @Test
        void missingGroupAfterResolution() {
            runner.withBean(MissingGroup.class).run(context -> assertFailure(context.getStartupFailure(),
                "@OnsListener on MissingGroup.handle(String)", "group is not set"));
        }

        @Test
        void invalidGroupName() {
            runner.withBean(InvalidGroup.class).run(context -> assertFailure(context.getStartupFailure(),
                "@OnsListener on InvalidGroup.handle(String)", "group 'orders group' is not a valid consumer group name"));
        }

        @Test
        void methodWithoutPayload() {
            runner.withBean(NoPayload.class).run(context -> assertFailure(context.getStartupFailure(),
                "@OnsListener method NoPayload.handle(DeliveryContext) has an unsupported signature: it takes no "
                    + "payload parameter"));
        }

        @Test
        void methodWithTooManyParameters() {
            runner.withBean(TooMany.class).run(context -> assertFailure(context.getStartupFailure(),
                "TooMany.handle(String, String) has an unsupported signature: it takes more than the payload and a "
                    + "DeliveryContext"));
        }

        @Test
        void methodReturningSomethingElse() {
            runner.withBean(ReturnsString.class).run(context -> assertFailure(context.getStartupFailure(),
                "ReturnsString.handle(String) has an unsupported signature: it returns String"));
        }

        @Test
        void twoListenersOnOneGroup() {
            runner.withBean(Valid.class).withBean(SameGroupOtherTag.class).run(context -> assertFailure(
                context.getStartupFailure(), "group 'orders-group' is already used by @OnsListener on",
                "one listener per group"));
        }

        @Test
        void twoListenersWithOneId() {
            runner.withBean(Valid.class).withBean(SameId.class).run(context -> assertFailure(
                context.getStartupFailure(), "id 'orders-group' is already the id of @OnsListener on Valid.handle(String)"));
        }

        @Test
        void badConcurrencyAndAutoStartup() {
            runner.withBean(BadAttributes.class).run(context -> assertFailure(context.getStartupFailure(),
                "concurrency 'many' is not a whole number of at least 1", "autoStartup 'yes' is neither true nor false"));
        }

        @Test
        void anExhaustedMethodThatTakesSomethingElse() {
            runner.withBean(BadExhausted.class).run(context -> assertFailure(context.getStartupFailure(),
                "@OnsExhausted method BadExhausted.giveUp(String) (bean '", "must take exactly one Exhaustion parameter"));
        }

        @Test
        void twoExhaustionHandlerBeansAndNoPrimary() {
            runner.withBean(Valid.class).withUserConfiguration(TwoHandlersConfig.class).run(context -> assertFailure(
                context.getStartupFailure(), "There are 2 ExhaustionHandler beans (", "and none is @Primary"));
        }

        @Test
        void anUnknownContainerFactoryAndABadHandlerTimeout() {
            runner.withBean(BadFactoryAndTimeout.class).run(context -> assertFailure(context.getStartupFailure(),
                "container factory 'nowhere' is not a bean; OnsListenerContainerFactory beans: onsListenerContainerFactory",
                "handlerTimeout 'soon' is not a positive duration"));
        }

        @Test
        void invalidConsumerProperties() {
            runner.withPropertyValues("mqs.ons.consumer.concurrency=0", "mqs.ons.consumer.max-held-messages=0",
                    "mqs.ons.consumer.invisible-duration=100ms", "mqs.ons.consumer.dead-letter-topic= ")
                .run(context -> assertFailure(context.getStartupFailure(),
                    "mqs.ons.consumer.concurrency=0 must be at least 1",
                    "mqs.ons.consumer.max-held-messages=0 must be at least 1",
                    "mqs.ons.consumer.invisible-duration=PT0.1S must be at least 1s",
                    "mqs.ons.consumer.dead-letter-topic is blank"));
        }

        private static void assertFailure(Throwable failure, String... expected) {
            assertThat(failure).isNotNull();
            String message = NestedExceptionUtils.getMostSpecificCause(failure).getMessage();
            for (String part : expected) {
                assertThat(message).contains(part);
            }
        }

    }

    static class BadFactoryAndTimeout {

        @OnsListener(producer = "orders", group = "bad-factory-group", containerFactory = "nowhere", handlerTimeout = "soon")
        void handle(String order) {
        }

    }

    static class OwnFactory {

        @OnsListener(producer = "orders", group = "own-factory-group", containerFactory = "threeAtATime")
        void handle(String order) {
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class OwnFactoryConfig {

        @Bean
        OnsListenerContainerFactory threeAtATime(OnsListenerContainerFactory onsListenerContainerFactory) {
            return onsListenerContainerFactory.mutate().concurrency(3).build();
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class RolesConfig {

        static final OnsDeliveryFilter FIRST = delivery -> false;

        static final OnsDeliveryFilter SECOND = delivery -> false;

        static final ExhaustionRecoverer RECOVERER = exhaustion -> {
        };

        @Bean
        @Order(2)
        OnsDeliveryFilter second() {
            return SECOND;
        }

        @Bean
        @Order(1)
        OnsDeliveryFilter first() {
            return FIRST;
        }

        @Bean
        ExhaustionRecoverer pager() {
            return RECOVERER;
        }

    }

    static class Valid {

        @OnsListener(producer = "orders", group = "orders-group")
        void handle(String order) {
        }

    }

    static class Attributes {

        @OnsListener(producer = "orders", group = "${app.group}", tag = "${app.tag}", id = "order-listener",
            concurrency = "${app.threads}", autoStartup = "false")
        void handle(String order) {
        }

    }

    static class Futures {

        @OnsListener(producer = "orders", group = "future-group")
        CompletableFuture<Void> handle(String order) {
            return CompletableFuture.completedFuture(null);
        }

        @OnsListener(producer = "orders", group = "boolean-future-group")
        CompletableFuture<Boolean> handle(String order, DeliveryContext context) {
            return CompletableFuture.completedFuture(true);
        }

    }

    static class LazyListener {

        static final AtomicInteger created = new AtomicInteger();

        LazyListener() {
            created.incrementAndGet();
        }

        @OnsListener(producer = "orders", group = "lazy-group")
        void handle(String order) {
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class LazyConfig {

        @Bean
        @Lazy
        LazyListener lazyListener() {
            return new LazyListener();
        }

    }

    static class UnknownProducer {

        @OnsListener(producer = "order", group = "g1")
        void handle(String order) {
        }

    }

    static class MissingGroup {

        @OnsListener(producer = "orders", group = "${app.missing-group:}")
        void handle(String order) {
        }

    }

    static class InvalidGroup {

        @OnsListener(producer = "orders", group = "orders group")
        void handle(String order) {
        }

    }

    static class NoPayload {

        @OnsListener(producer = "orders", group = "g2")
        void handle(DeliveryContext context) {
        }

    }

    static class TooMany {

        @OnsListener(producer = "orders", group = "g3")
        void handle(String order, String other) {
        }

    }

    static class ReturnsString {

        @OnsListener(producer = "orders", group = "g4")
        String handle(String order) {
            return order;
        }

    }

    static class SameGroupOtherTag {

        @OnsListener(producer = "orders", group = "orders-group", tag = "other")
        void handle(String order) {
        }

    }

    static class SameId {

        @OnsListener(producer = "orders", group = "other-group", id = "orders-group")
        void handle(String order) {
        }

    }

    static class BadAttributes {

        @OnsListener(producer = "orders", group = "g5", concurrency = "many", autoStartup = "yes")
        void handle(String order) {
        }

    }

    static class BadExhausted {

        @OnsListener(producer = "orders", group = "g6")
        void handle(String order) {
        }

        @OnsExhausted
        void giveUp(String order) {
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class TwoHandlersConfig {

        @Bean
        ExhaustionHandler first() {
            return exhaustion -> { };
        }

        @Bean
        ExhaustionHandler second() {
            return exhaustion -> { };
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class PrimaryHandlerConfig {

        @Bean
        @Primary
        ExhaustionHandler first() {
            return exhaustion -> { };
        }

        @Bean
        ExhaustionHandler second() {
            return (Exhaustion exhaustion) -> { };
        }

    }

}
