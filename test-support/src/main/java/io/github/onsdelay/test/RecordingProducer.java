package io.github.onsdelay.test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.apache.rocketmq.client.apis.message.Message;
import org.apache.rocketmq.client.apis.message.MessageId;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.client.apis.producer.RecallReceipt;
import org.apache.rocketmq.client.apis.producer.SendReceipt;
import org.apache.rocketmq.client.apis.producer.Transaction;

/**
 * A rocketmq-client-java {@link Producer} for unit tests: it records every message and answers as the broker
 * tells it to (by default, accepted as {@code msg-1}, {@code msg-2}, ... with recall handles
 * {@code recall-1}, ...).
 */
public final class RecordingProducer implements Producer {

    private final List<Message> sent = new CopyOnWriteArrayList<>();

    private volatile Function<Message, CompletableFuture<SendReceipt>> broker = message -> {
        int number = sent.size();
        return CompletableFuture.completedFuture(receipt("msg-" + number, "recall-" + number));
    };

    /** Every message sent so far, in order. */
    public List<Message> sent() {
        return List.copyOf(sent);
    }

    /** How the broker answers each send from now on. */
    public RecordingProducer answering(Function<Message, CompletableFuture<SendReceipt>> broker) {
        this.broker = broker;
        return this;
    }

    /** A receipt as the broker gives one. */
    public static SendReceipt receipt(String messageId, String recallHandle) {
        MessageId id = new MessageId() {
            @Override
            public String getVersion() {
                return "01";
            }

            @Override
            public String toString() {
                return messageId;
            }
        };
        return new SendReceipt() {
            @Override
            public MessageId getMessageId() {
                return id;
            }

            @Override
            public String getRecallHandle() {
                return recallHandle;
            }
        };
    }

    @Override
    public CompletableFuture<SendReceipt> sendAsync(Message message) {
        sent.add(message);
        return broker.apply(message);
    }

    @Override
    public SendReceipt send(Message message) {
        return sendAsync(message).join();
    }

    @Override
    public SendReceipt send(Message message, Transaction transaction) {
        throw new UnsupportedOperationException("transactional messages are not used by ons-delay");
    }

    @Override
    public Transaction beginTransaction() {
        throw new UnsupportedOperationException("transactional messages are not used by ons-delay");
    }

    @Override
    public RecallReceipt recallMessage(String topic, String recallHandle) {
        throw new UnsupportedOperationException("not recorded");
    }

    @Override
    public CompletableFuture<RecallReceipt> recallMessageAsync(String topic, String recallHandle) {
        throw new UnsupportedOperationException("not recorded");
    }

    @Override
    public void close() {
    }

}
