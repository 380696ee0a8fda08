package io.github.onsdelay.jdbc.actuate;

import java.util.List;

import io.github.onsdelay.jdbc.ParkedReplay;
import io.github.onsdelay.jdbc.ParkedSend;
import io.github.onsdelay.jdbc.ParkedSends;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code onsdelayparked} endpoint, beside {@code onsdelayexhausted}: {@code GET} lists the newest outbox rows
 * the relay parked ({@code ?producer=} and {@code ?limit=} narrow it), {@code GET /{id}} shows one with its body
 * and the broker's last reason, and {@code POST /{id}} sends it again. An id that is not parked is a bad request
 * (400 over HTTP) that says so.
 */
@Endpoint(id = "onsdelayparked")
public class OnsParkedEndpoint {

    private final ParkedSends parked;

    public OnsParkedEndpoint(ParkedSends parked) {
        this.parked = parked;
    }

    /** One parked row as the endpoint shows it, the body as text. */
    public record Entry(long id, String producer, String topic, @Nullable String tag, String businessKey, int attempt,
            String dueAt, int attempts, @Nullable String lastError, String body, String createdAt, String parkedAt) {

        static Entry of(ParkedSend send) {
            return new Entry(send.id(), send.producer(), send.topic(), send.tag(), send.businessKey(), send.attempt(),
                send.dueAt().toString(), send.attempts(), send.lastError(), send.bodyText(), send.createdAt().toString(),
                send.parkedAt().toString());
        }

    }

    @ReadOperation
    public List<Entry> list(@Nullable String producer, @Nullable Integer limit) {
        return parked.list(producer, limit == null ? 50 : limit).stream().map(Entry::of).toList();
    }

    @ReadOperation
    public @Nullable Entry one(@Selector long id) {
        return parked.find(id).map(Entry::of).orElse(null);
    }

    @WriteOperation
    public ParkedReplay replay(@Selector long id) {
        try {
            return parked.replay(id);
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage());
        }
    }

}
