package io.github.onsdelay.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.alibaba.fastjson2.JSON;
import io.github.onsdelay.core.OnsMessageProperties;
import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.test.RecordingConsumer;
import io.github.onsdelay.test.TestApplication;
import io.github.onsdelay.test.Tolerances;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Producers of both styles against the real embedded server, read back by a plain client consumer, which
 * (unlike an ons-delay listener) gets each message when the broker releases it: its delivery lead before it
 * is due.
 */
@SpringBootTest(classes = {TestApplication.class, ProducerIntegrationTests.CouponCloseProducer.class}, properties = {
    "mqs.ons.producers.order-cancel.topic=producer_it",
    "mqs.ons.producers.order-cancel.tag=cancel",
    "mqs.ons.producers.order-cancel.initial-delay=2s",
    "mqs.ons.producers.order-cancel.delays=1, 2",
    "mqs.ons.producers.coupon-close.topic=producer_it",
    "mqs.ons.producers.coupon-close.tag=coupon",
    "mqs.ons.producers.coupon-close.initial-delay=1s",
    "mqs.ons.producers.coupon-close.delivery-lead=0"
})
@EmbeddedRocketMQ(topics = "producer_it")
class ProducerIntegrationTests {

    static RecordingConsumer consumer;

    @Autowired
    @Qualifier("order-cancel")
    DelayProducer orderCancel;

    @Autowired
    CouponCloseProducer couponClose;

    @BeforeAll
    static void subscribe(EmbeddedRocketMQBroker broker) throws Exception {
        consumer = new RecordingConsumer(broker.endpoints(), "producer_it", "producer-it-reader");
    }

    @AfterAll
    static void unsubscribe() throws Exception {
        consumer.close();
    }

    @Test
    void ymlProducerMessageIsReleasedItsLeadBeforeItsDueTimeWithEveryProperty() {
        long before = System.currentTimeMillis();
        SendResult result = orderCancel.send(DelayMessage.of(new Order("o-1", 42)).withKey("order-o-1"));

        assertThat(result.isSent()).isTrue();
        assertThat(result.attempt()).isZero();
        assertThat(result.dueAt()).isBetween(Instant.ofEpochMilli(before + 2_000), Instant.now().plusSeconds(2));
        // The embedded server's timer precision is 100 ms: the lead is 100 ms plus the 500 ms margin.
        Duration lead = orderCancel.getSettings().deliveryLead();
        assertThat(lead).isEqualTo(Duration.ofMillis(600));
        assertThat(result.deliverAt()).isEqualTo(result.dueAt().minus(lead));
        await().atMost(Duration.ofSeconds(15)).until(() -> consumer.has("o-1"));
        RecordingConsumer.Received received = consumer.only("o-1");
        assertThat(received.deliveryTimestamp()).isEqualTo(result.deliverAt().toEpochMilli());
        assertThat(received.arrived()).isGreaterThanOrEqualTo(result.deliverAt().toEpochMilli())
            .isLessThan(result.deliverAt().toEpochMilli() + Tolerances.BROKER_LATENESS.toMillis());
        assertThat(JSON.parseObject(received.body(), Order.class)).isEqualTo(new Order("o-1", 42));
        assertThat(received.tag()).isEqualTo("cancel");
        assertThat(received.keys()).containsExactly("order-o-1");
        assertThat(received.properties())
            .containsEntry(OnsMessageProperties.ATTEMPT, "0")
            .containsEntry(OnsMessageProperties.PRODUCER, "order-cancel")
            .containsEntry(OnsMessageProperties.BUSINESS_KEY, "order-o-1")
            .doesNotContainKey(OnsMessageProperties.TARGET_GROUP);
        assertThat(received.property(OnsMessageProperties.DUE_AT)).isEqualTo(result.dueAt().toEpochMilli());
        assertThat(received.property(OnsMessageProperties.FIRST_SENT_AT))
            .isBetween(before, result.dueAt().toEpochMilli() - 2_000);
    }

    @Test
    void attemptNIsDueAfterTheNthRetryDelay() {
        long before = System.currentTimeMillis();
        SendResult result = orderCancel.send(new Order("o-2", 7), 2);

        assertThat(result.dueAt().toEpochMilli()).isBetween(before + 2_000, System.currentTimeMillis() + 2_000);
        await().atMost(Duration.ofSeconds(15)).until(() -> consumer.has("o-2"));
        RecordingConsumer.Received received = consumer.only("o-2");
        assertThat(received.properties()).containsEntry(OnsMessageProperties.ATTEMPT, "2");
        assertThat(received.arrived()).isGreaterThanOrEqualTo(result.deliverAt().toEpochMilli());
        // A generated business key when the caller gives none, so retries can still be told apart.
        assertThat(received.keys()).containsExactly(result.businessKey());
    }

    @Test
    void attemptBeyondTheDelaysSendsNothing() {
        SendResult result = orderCancel.send(new Order("o-3", 1), 3);

        assertThat(result.isSent()).isFalse();
        assertThat(result.messageId()).isNull();
        assertThat(result.attempt()).isEqualTo(3);
    }

    @Test
    void subclassProducerWithoutLeadIsReleasedAtItsAbsoluteTime() {
        Instant end = Instant.now().plusMillis(2_500);
        SendResult result = couponClose.closeAt("template-9", end);

        assertThat(couponClose.getName()).isEqualTo("coupon-close");
        // Due times travel as epoch milliseconds; delivery-lead=0 asks the broker for the due time itself.
        assertThat(result.dueAt()).isEqualTo(end.truncatedTo(ChronoUnit.MILLIS));
        assertThat(result.deliverAt()).isEqualTo(result.dueAt());
        await().atMost(Duration.ofSeconds(15)).until(() -> consumer.has("template-9"));
        RecordingConsumer.Received received = consumer.only("template-9");
        assertThat(received.arrived()).isGreaterThanOrEqualTo(end.toEpochMilli())
            .isLessThan(end.toEpochMilli() + Tolerances.BROKER_LATENESS.toMillis());
        assertThat(received.tag()).isEqualTo("coupon");
        assertThat(received.properties()).containsEntry(OnsMessageProperties.PRODUCER, "coupon-close");
    }

    @Test
    void asyncSendCompletesWithTheReceipt() throws Exception {
        SendResult result = orderCancel.sendAsync(new Order("o-4", 3)).get();

        assertThat(result.isSent()).isTrue();
        assertThat(result.messageId()).isNotBlank();
        await().atMost(Duration.ofSeconds(15)).until(() -> consumer.has("o-4"));
    }

    record Order(String id, int amount) {
    }

    /** The original's style: a subclass bound to its own section, adding a typed method. */
    @ConfigurationProperties("mqs.ons.producers.coupon-close")
    static class CouponCloseProducer extends AbstractProducer {

        SendResult closeAt(String templateId, Instant end) {
            return deliverAt(templateId, end);
        }

    }

}
