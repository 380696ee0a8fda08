package io.github.onsdelay.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * What is done with a client whose routes cannot be fetched ahead. No server runs here: a real producer's routes are
 * fetched in the producer starter's {@code ProducerStartupIntegrationTests}, and the method it is reached by is
 * looked for on the client this build carries, so that another version of it fails here.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClientRoutesTests {

    @Test
    void theProducerOfThisBuildsClientHasTheRouteFetch() throws Exception {
        Class<?> producer = Class.forName("org.apache.rocketmq.client.java.impl.producer.ProducerImpl");
        assertThat(ClientRoutes.routeMethod(producer).getName()).isEqualTo("getRouteData");
    }

    @Test
    void anObjectThatIsNoRocketMQClientIsLeftAloneWithoutAWord(CapturedOutput output) {
        assertThat(ClientRoutes.fetch(new Object(), List.of("t"), Duration.ofSeconds(1))).isNull();
        assertThat(output).doesNotContain("Cannot fetch topic routes");
    }

    @Test
    void aRocketMQClientOfAnotherShapeIsLeftAloneAndThatIsWarnedOfOnce(CapturedOutput output) {
        // A RocketMQ object without the 5.2.0 client's method, as an upgraded client would be.
        Object otherShape = ClientConfiguration.newBuilder().setEndpoints("127.0.0.1:1").build();

        assertThat(ClientRoutes.fetch(otherShape, List.of("t"), Duration.ofSeconds(1))).isNull();
        assertThat(ClientRoutes.fetch(otherShape, List.of("t"), Duration.ofSeconds(1))).isNull();

        assertThat(output.toString().lines().filter(line -> line.contains("Cannot fetch topic routes")))
            .singleElement().asString()
            .contains("WARN")
            .contains("the first send to each topic fetches its route first")
            .contains("use rocketmq-client-java 5.2.0");
    }

}
