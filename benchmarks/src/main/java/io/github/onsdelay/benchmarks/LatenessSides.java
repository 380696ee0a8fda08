package io.github.onsdelay.benchmarks;

import java.io.IOException;

import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import org.apache.rocketmq.client.apis.consumer.PushConsumer;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The two sides of the rows that time handlers against due times, on one server: the library's listener and a raw
 * push consumer, each recording how late its handler ran ({@link #libraryLateness()}, {@link #rawLateness()}), and
 * a raw producer to send the raw side's messages.
 */
final class LatenessSides implements AutoCloseable {

    private final LatenessRecorder libraryLateness = new LatenessRecorder();

    private final LatenessRecorder rawLateness = new LatenessRecorder();

    private final ConfigurableApplicationContext application;

    private final PushConsumer rawConsumer;

    private final Producer rawProducer;

    /**
     * The library listening to {@code producer} as {@code libraryGroup}; the raw client consuming {@code rawTopic} as
     * {@code rawGroup}.
     */
    LatenessSides(EmbeddedRocketMQBroker broker, String producer, String libraryGroup, String rawTopic, String rawGroup)
            throws Exception {
        BenchListener.handler = (payload, context) -> {
            libraryLateness.record(System.currentTimeMillis() - context.dueAt().toEpochMilli());
            return true;
        };
        application = LibraryApplication.listening(broker, producer, libraryGroup, false);
        try {
            rawConsumer = RawClient.consumer(broker, rawTopic, rawGroup,
                (id, due) -> rawLateness.record(System.currentTimeMillis() - due));
            try {
                rawProducer = RawClient.producer(broker);
            }
            catch (Exception ex) {
                rawConsumer.close();
                throw ex;
            }
        }
        catch (Exception ex) {
            application.close();
            throw ex;
        }
    }

    LatenessRecorder libraryLateness() {
        return libraryLateness;
    }

    LatenessRecorder rawLateness() {
        return rawLateness;
    }

    /** The library's application. */
    ConfigurableApplicationContext library() {
        return application;
    }

    Producer rawProducer() {
        return rawProducer;
    }

    @Override
    public void close() throws IOException {
        try (application; rawConsumer; rawProducer) {
            // closed in the reverse order: raw producer, raw consumer, library application
        }
    }

}
