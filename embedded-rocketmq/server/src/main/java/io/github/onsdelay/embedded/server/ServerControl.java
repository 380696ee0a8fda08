package io.github.onsdelay.embedded.server;

import java.util.List;
import java.util.Map;

/**
 * How ons-delay-embedded-rocketmq drives one server. Loaded by the application's class loader and
 * implemented by {@link RocketMQServerBootstrap} inside the server's own class loader, so that it takes and
 * returns JDK types only.
 */
public interface ServerControl {

    /** Starts NameServer, Broker and proxy, and waits until the broker is registered. */
    void start() throws Exception;

    /** Stops proxy, broker and NameServer in that order; the broker flushes its store. */
    void shutdown();

    /** RocketMQ's version of this server, as it reports it ({@code V5_5_0}). */
    String version();

    /**
     * The places ({@code class.method}) where the fast stop wakes threads that are not in this server's RocketMQ:
     * empty when every one is found. A place renamed in another version leaves its threads to RocketMQ's own stop.
     */
    List<String> unknownStopWaitPlaces();

    /** {@code 127.0.0.1:port} of the NameServer. */
    String namesrvAddress();

    /** Creates or updates a topic; {@code messageType} is NORMAL, DELAY, FIFO or TRANSACTION. */
    void createTopic(String topic, String messageType) throws InterruptedException;

    /**
     * Creates a consumer group; FIFO groups consume in order. {@code retryMaxTimes} is how often the broker
     * delivers a message again before it moves it to the group's dead-letter queue; negative for the broker's
     * default (16).
     */
    void createGroup(String group, boolean fifo, int retryMaxTimes);

    /** Changes the longest delay the proxy accepts for a timed message, in milliseconds, from the next send on. */
    void maxDelay(long millis);

    /** How many messages this broker stored in a topic's queues (a timed message counts once it is released). */
    long storedMessages(String topic) throws Exception;

    /** How many brokers the NameServer's route of a topic lists; 0 on a member, which has no NameServer. */
    int brokersServing(String topic);

    /** Message type recorded for a topic, or null when the topic does not exist. */
    String topicMessageType(String topic);

    /**
     * Sends a message with RocketMQ's remoting client straight to the broker and returns its message id.
     * @param timer any of {@code deliverTimeMs}, {@code delayTimeSec}, {@code delayTimeMs}, {@code delayLevel}
     */
    String sendWithRemotingClient(String topic, String tag, String keys, byte[] body, Map<String, String> properties,
            Map<String, Long> timer) throws Exception;

}
