package io.github.onsdelay.consumer.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.onsdelay.consumer.DeliveryContext;
import io.github.onsdelay.consumer.OnsListener;
import io.github.onsdelay.consumer.internal.ListenerContainer;
import io.github.onsdelay.consumer.internal.ListenerContainerRegistry;
import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.producer.autoconfigure.OnsProducerAutoConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

@EmbeddedRocketMQ(topics = "consumer_autoconfig")
class OnsConsumerAutoConfigurationTests {

    ApplicationContextRunner runner;

    @BeforeEach
    void runner(EmbeddedRocketMQBroker broker) {
        runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(OnsProducerAutoConfiguration.class, OnsConsumerAutoConfiguration.class))
            .withPropertyValues("mqs.ons.endpoints=" + broker.endpoints(),
                "mqs.ons.producers.orders.topic=consumer_autoconfig",
                "mqs.ons.producers.orders.tag=cancel");
    }

    @Nested
    class Listeners {

        @Test
        void oneConsumerPerListenerSubscribedToTheProducersTopicAndTag() {
            runner.withBean(Valid.class).run(context -> {
                assertThat(context).hasNotFailed();
                ListenerContainer container = context.getBean(ListenerContainerRegistry.class).containers().get(0);
                assertThat(container.group()).isEqualTo("orders-group");
                assertThat(container.subscription()).containsOnlyKeys("consumer_autoconfig");
                assertThat(container.subscription().get("consumer_autoconfig").getExpression()).isEqualTo("cancel");
            });
        }

        @Test
        void placeholdersAreResolvedBeforeTheyAreChecked() {
            runner.withBean(Placeholders.class).withPropertyValues("app.group=resolved-group", "app.tag=vip||cancel")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ListenerContainer container = context.getBean(ListenerContainerRegistry.class).containers().get(0);
                    assertThat(container.group()).isEqualTo("resolved-group");
                    assertThat(container.subscription().get("consumer_autoconfig").getExpression())
                        .isEqualTo("vip||cancel");
                });
        }

        @Test
        void withoutListenersNoConsumerStarts() {
            runner.run(context -> assertThat(context.getBean(ListenerContainerRegistry.class).containers()).isEmpty());
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
        void invalidConsumerProperties() {
            runner.withPropertyValues("mqs.ons.consumer.consumption-threads=0").run(context -> assertFailure(
                context.getStartupFailure(), "mqs.ons.consumer.consumption-threads=0 must be at least 1"));
        }

        private static void assertFailure(Throwable failure, String... expected) {
            assertThat(failure).isNotNull();
            String message = NestedExceptionUtils.getMostSpecificCause(failure).getMessage();
            for (String part : expected) {
                assertThat(message).contains(part);
            }
        }

    }

    static class Valid {

        @OnsListener(producer = "orders", group = "orders-group")
        void handle(String order) {
        }

    }

    static class Placeholders {

        @OnsListener(producer = "orders", group = "${app.group}", tag = "${app.tag}")
        void handle(String order) {
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

}
