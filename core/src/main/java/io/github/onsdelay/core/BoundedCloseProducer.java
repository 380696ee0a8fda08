package io.github.onsdelay.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.apache.rocketmq.client.apis.ClientException;
import org.apache.rocketmq.client.apis.message.Message;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.client.apis.producer.RecallReceipt;
import org.apache.rocketmq.client.apis.producer.SendReceipt;
import org.apache.rocketmq.client.apis.producer.Transaction;

/** A producer whose {@link #close()} ends within a bound: see {@link ClientConnections#closeWithin}. */
final class BoundedCloseProducer implements Producer {

    final Producer delegate;

    private final Duration closeTimeout;

    BoundedCloseProducer(Producer delegate, Duration closeTimeout) {
        this.delegate = delegate;
        this.closeTimeout = closeTimeout;
    }

    @Override
    public SendReceipt send(Message message) throws ClientException {
        return delegate.send(message);
    }

    @Override
    public SendReceipt send(Message message, Transaction transaction) throws ClientException {
        return delegate.send(message, transaction);
    }

    @Override
    public CompletableFuture<SendReceipt> sendAsync(Message message) {
        return delegate.sendAsync(message);
    }

    @Override
    public Transaction beginTransaction() throws ClientException {
        return delegate.beginTransaction();
    }

    @Override
    public RecallReceipt recallMessage(String topic, String recallHandle) throws ClientException {
        return delegate.recallMessage(topic, recallHandle);
    }

    @Override
    public CompletableFuture<RecallReceipt> recallMessageAsync(String topic, String recallHandle) {
        return delegate.recallMessageAsync(topic, recallHandle);
    }

    @Override
    public void close() {
        ClientConnections.closeWithin(delegate, closeTimeout, "the RocketMQ producer");
    }

    @Override
    public String toString() {
        return delegate.toString();
    }

}
