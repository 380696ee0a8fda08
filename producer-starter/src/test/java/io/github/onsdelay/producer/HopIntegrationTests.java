package io.github.onsdelay.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.github.onsdelay.core.OnsMessageProperties;
import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.test.RecordingConsumer;
import io.github.onsdelay.test.TestApplication;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A server whose proxy accepts at most 3 s of delay, as a stock one accepts at most 1 day; its connection
 * details tell the client so.
 */
@SpringBootTest(classes = TestApplication.class, properties = {
    "mqs.ons.producers.partner-push.topic=producer_hop",
    "mqs.ons.producers.partner-push.initial-delay=7s"
})
@EmbeddedRocketMQ(topics = "producer_hop", maxDelay = "3s")
class HopIntegrationTests {

    @Autowired
    @Qualifier("partner-push")
    DelayProducer partnerPush;

    @Test
    void delayLongerThanMaxDelayTravelsAsAHopCarryingTheFinalDueTime(EmbeddedRocketMQBroker broker) throws Exception {
        try (RecordingConsumer consumer = new RecordingConsumer(broker.endpoints(), "producer_hop", "hop-reader")) {
            SendResult result = partnerPush.send("push-1");

            assertThat(result.isHop()).isTrue();
            // The hop is released max-delay (3 s) after the send: 4 s before the due time, less the time between
            // computing the due time and sending (the clock is read twice), well under a second.
            assertThat(Duration.between(result.deliverAt(), result.dueAt()))
                .isLessThanOrEqualTo(Duration.ofSeconds(4)).isGreaterThan(Duration.ofMillis(3_000));
            await().atMost(Duration.ofSeconds(15)).until(() -> consumer.has("push-1"));
            RecordingConsumer.Received hop = consumer.only("push-1");
            assertThat(hop.arrived()).isGreaterThanOrEqualTo(result.deliverAt().toEpochMilli())
                .isLessThan(result.dueAt().toEpochMilli());
            assertThat(hop.deliveryTimestamp()).isEqualTo(result.deliverAt().toEpochMilli());
            assertThat(hop.property(OnsMessageProperties.DUE_AT)).isEqualTo(result.dueAt().toEpochMilli());
            assertThat(hop.properties()).containsEntry(OnsMessageProperties.ATTEMPT, "0");
        }
    }

    @Test
    void theServerItselfRefusesADelayBeyondItsMaximum(EmbeddedRocketMQBroker broker) throws Exception {
        ClientServiceProvider provider = ClientServiceProvider.loadService();
        try (Producer raw = provider.newProducerBuilder()
                .setClientConfiguration(ClientConfiguration.newBuilder().setEndpoints(broker.endpoints())
                    .enableSsl(false).build())
                .setTopics("producer_hop").build()) {
            var tooLate = provider.newMessageBuilder().setTopic("producer_hop").setBody("x".getBytes())
                .setDeliveryTimestamp(System.currentTimeMillis() + 10_000).build();

            assertThatThrownBy(() -> raw.send(tooLate))
                .hasMessageContaining("response-code=40012")
                .hasMessageEndingWith("the max delay time of message is too large, max is 3000");
        }
    }

}
