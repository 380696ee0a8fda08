package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.test.TestApplication;
import io.github.onsdelay.core.OnsMessageProperties;
import io.github.onsdelay.core.OnsSendException;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

/** Hostile and broken input on the real server: each gets a clear outcome, and nothing loops. */
@SpringBootTest(classes = {TestApplication.class, BadInputIntegrationTests.Handlers.class}, properties = {
    "mqs.ons.hops-enabled=false",
    "mqs.ons.producers.orders.topic=consumer_bad",
    "mqs.ons.producers.orders.tag=order",
    "mqs.ons.producers.orders.delays=1s",
    "mqs.ons.producers.anything.topic=consumer_bad",
    "mqs.ons.producers.anything.tag=any",
    "mqs.ons.producers.late.topic=consumer_bad",
    "mqs.ons.producers.late.initial-delay=7s"
})
@EmbeddedRocketMQ(topics = "consumer_bad", maxDelay = "3s")
class BadInputIntegrationTests {

    @Autowired
    Producer rocketmq;

    @Autowired
    Handlers handlers;

    @Autowired
    @Qualifier("orders")
    DelayProducer orders;

    @Autowired
    @Qualifier("late")
    DelayProducer late;

    private void sendRaw(String tag, String key, String body) throws Exception {
        ClientServiceProvider provider = ClientServiceProvider.loadService();
        rocketmq.send(provider.newMessageBuilder().setTopic("consumer_bad").setTag(tag).setKeys(key)
            .setBody(body.getBytes(StandardCharsets.UTF_8)).setDeliveryTimestamp(System.currentTimeMillis())
            .addProperty(OnsMessageProperties.BUSINESS_KEY, key).build());
    }

    private Exhaustion exhaustedOnce(String key) {
        await().atMost(Duration.ofSeconds(20)).until(() -> handlers.exhausted.containsKey(key));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
            .until(() -> handlers.exhausted.get(key).size() == 1);
        return handlers.exhausted.get(key).get(0);
    }

    @Test
    void malformedJsonIsPoison() throws Exception {
        sendRaw("order", "bad-json", "{\"id\": \"o-1\", \"amount\": ");

        Exhaustion exhaustion = exhaustedOnce("bad-json");
        assertThat(exhaustion.reason()).isEqualTo(Exhaustion.Reason.POISON);
        assertThat(exhaustion.lastError()).hasMessageStartingWith("Body is not valid JSON for ");
    }

    @Test
    void jsonOfTheWrongShapeIsPoison() throws Exception {
        sendRaw("order", "wrong-shape", "[1, 2, 3]");

        Exhaustion exhaustion = exhaustedOnce("wrong-shape");
        assertThat(exhaustion.reason()).isEqualTo(Exhaustion.Reason.POISON);
        assertThat(new String(exhaustion.body(), StandardCharsets.UTF_8)).isEqualTo("[1, 2, 3]");
        assertThat(handlers.orders).noneMatch(order -> order.id() == null);
    }

    @Test
    void bodyNamingAClassInAtTypeNeverCreatesIt() throws Exception {
        String gadget = "{\"@type\":\"" + Gadget.class.getName() + "\",\"id\":\"g-1\",\"amount\":5,\"command\":\"rm\"}";
        int before = Gadget.CREATED.get();

        sendRaw("order", "typed-order", gadget);
        sendRaw("any", "typed-any", gadget);

        await().atMost(Duration.ofSeconds(20)).until(() -> handlers.orders.stream().anyMatch(o -> o.id().equals("g-1"))
            && !handlers.anything.isEmpty());
        assertThat(handlers.anything.get(0)).isInstanceOf(Map.class).isNotInstanceOf(Gadget.class);
        assertThat(Gadget.CREATED.get()).isEqualTo(before);
    }

    @Test
    void emptyBodyIsRefusedBeforeItIsSent() {
        assertThatThrownBy(() -> sendRaw("order", "empty", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bodyOverTheBrokersLimitFailsAtSendWithAClearError() {
        String huge = "x".repeat(5 * 1024 * 1024);

        assertThatThrownBy(() -> orders.send(huge))
            .isInstanceOf(OnsSendException.class)
            .hasMessageStartingWith("Producer 'orders' could not send to topic 'consumer_bad': ")
            .hasMessageContaining("size");
    }

    @Test
    void delayBeyondMaxDelayWithHopsOffFailsAtSend() {
        assertThatThrownBy(() -> late.send("too-late"))
            .isInstanceOf(OnsSendException.class)
            .hasMessageContaining("longer than mqs.ons.max-delay=PT3S with mqs.ons.hops-enabled=false");
    }

    @Test
    void negativeAttemptAndNullPayloadAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> orders.send("x", -1))
            .withMessage("Attempt must be zero or positive, was -1");
        assertThatIllegalArgumentException().isThrownBy(() -> orders.send((Object) null))
            .withMessage("Payload must not be null");
        assertThatIllegalArgumentException().isThrownBy(() -> orders.send(DelayMessage.of(null)))
            .withMessage("Payload must not be null");
    }

    record Order(String id, int amount) {
    }

    /** Records every instantiation: a body's "@type" must never create it. */
    public static class Gadget {

        static final AtomicInteger CREATED = new AtomicInteger();

        private String command;

        public Gadget() {
            CREATED.incrementAndGet();
        }

        public String getCommand() {
            return command;
        }

        public void setCommand(String command) {
            this.command = command;
        }

    }

    static class Handlers {

        final List<Order> orders = new CopyOnWriteArrayList<>();

        final List<Object> anything = new CopyOnWriteArrayList<>();

        final Map<String, List<Exhaustion>> exhausted = new ConcurrentHashMap<>();

        @OnsListener(producer = "orders", group = "bad-input-orders")
        void order(Order order) {
            orders.add(order);
        }

        @OnsListener(producer = "anything", group = "bad-input-any")
        void anything(Object payload) {
            anything.add(payload);
        }

        @OnsExhausted
        void exhausted(Exhaustion exhaustion) {
            exhausted.computeIfAbsent(exhaustion.context().businessKey(), key -> new CopyOnWriteArrayList<>())
                .add(exhaustion);
        }

    }


}
