package io.github.onsdelay.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.github.onsdelay.core.OnsSendException;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.embedded.TopicMessageType;
import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A server of its own, stopped under a running application. */
class SendFailureIntegrationTests {

    @Test
    void sendWhileTheServerIsStoppedFailsWithTheLibraryExceptionWithinTheSendTimeout() {
        try (EmbeddedRocketMQBroker broker = EmbeddedRocketMQBroker.builder().timerFlushInterval(Duration.ofMinutes(1))
                .topic("producer_down", TopicMessageType.DELAY).build().start();
                ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
                    .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
                    .properties("mqs.ons.endpoints=" + broker.endpoints(),
                        "mqs.ons.producers.down.topic=producer_down",
                        "mqs.ons.producers.down.send-timeout=2s")
                    .run()) {
            DelayProducer producer = context.getBean("down", DelayProducer.class);
            assertThat(producer.send("while-up").isSent()).isTrue();

            broker.stop();

            long began = System.nanoTime();
            assertThatThrownBy(() -> producer.send("while-down"))
                .isInstanceOfSatisfying(OnsSendException.class, ex -> {
                    assertThat(ex.getProducer()).isEqualTo("down");
                    assertThat(ex.getTopic()).isEqualTo("producer_down");
                    assertThat(ex.getCause()).isNotNull();
                })
                .hasMessageStartingWith("Producer 'down' could not send to topic 'producer_down': ");
            // The send timeout bounds the wait; the tolerance covers a loaded machine's scheduling only.
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(2).plusSeconds(3));

            CompletableFuture<SendResult> async = producer.sendAsync("async-while-down");
            assertThatThrownBy(async::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(OnsSendException.class);
        }
    }

}
