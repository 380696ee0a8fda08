package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A delivery given back again and again (here a filter whose database is down) uses up the broker's redelivery
 * budget, after which the broker moves the message to {@code %DLQ%group}, which nothing reads. ons-delay keeps it:
 * near the end of the budget it sends the delivery again as a new message, so the handler runs once the fault
 * heals. The group here allows 2 redeliveries (3 deliveries), as {@code mqs.ons.consumer.max-deliveries} says.
 */
@EmbeddedRocketMQ(topics = "consumer_budget")
class RedeliveryBudgetIntegrationTests {

    @Test
    void aMessageGivenBackMoreOftenThanTheBrokerRedeliversIsNotLostToTheDeadLetterQueue(EmbeddedRocketMQBroker broker) {
        broker.createGroup("budget-group", 2);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class,
                Budget.class).web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
                .properties("mqs.ons.endpoints=" + broker.endpoints(), "mqs.ons.timer-precision=100ms",
                    "mqs.ons.producers.budget.topic=consumer_budget", "mqs.ons.consumer.max-deliveries=3")
                .run()) {
            Budget budget = context.getBean(Budget.class);
            context.getBean("budget", DelayProducer.class).send(DelayMessage.of("b-1").withKey("b-1"));

            // Four failures: more than the group's three deliveries of one message.
            await().atMost(Duration.ofSeconds(60)).until(() -> budget.handled.size() == 1);
            ListenerFigures figures = context.getBean(OnsListenerRegistry.class).getListenerContainer("budget-group")
                .getFigures();
            System.out.printf("Redelivery budget of 3 deliveries, 4 failing filter runs: handled %d, given back %d, "
                + "sent again as new messages %d%n", budget.handled.size(), figures.givenBack(), figures.resent());
            assertThat(budget.filterRuns).hasValue(Budget.FAILURES + 1);
            assertThat(figures.resent()).isPositive();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> budget.handled.size() == 1);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Budget {

        static final int FAILURES = 4;

        final AtomicInteger filterRuns = new AtomicInteger();

        final List<String> handled = new CopyOnWriteArrayList<>();

        @OnsListener(producer = "budget", group = "budget-group")
        void handle(String key) {
            handled.add(key);
        }

        /** A filter whose database is down for its first runs. */
        @Bean
        OnsDeliveryFilter journalDown() {
            return delivery -> {
                if (filterRuns.incrementAndGet() <= FAILURES) {
                    throw new IllegalStateException("journal database down");
                }
                return false;
            };
        }

    }

}
