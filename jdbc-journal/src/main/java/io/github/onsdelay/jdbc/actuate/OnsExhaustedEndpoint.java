package io.github.onsdelay.jdbc.actuate;

import java.util.List;

import io.github.onsdelay.jdbc.ExhaustedMessage;
import io.github.onsdelay.jdbc.ExhaustedMessages;
import io.github.onsdelay.jdbc.ReplayResult;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code onsdelayexhausted} endpoint: {@code GET} lists the newest exhausted messages the journal kept
 * ({@code ?group=} and {@code ?limit=} narrow it), {@code GET /{id}} shows one with its body, and
 * {@code POST /{id}} replays it ({@code {"attempt": n}}, attempt 0 when absent). An unknown id or an attempt
 * outside the producer's schedule is a bad request (400 over HTTP) that says which.
 */
@Endpoint(id = "onsdelayexhausted")
public class OnsExhaustedEndpoint {

    private final ExhaustedMessages messages;

    public OnsExhaustedEndpoint(ExhaustedMessages messages) {
        this.messages = messages;
    }

    /** One exhausted message as the endpoint shows it, the body as text. */
    public record Entry(long id, String group, String producer, String topic, @Nullable String tag, String businessKey,
            String messageId, int attempt, String reason, @Nullable String lastError, String body, String exhaustedAt,
            int replayCount, @Nullable String replayedAt) {

        static Entry of(ExhaustedMessage message) {
            return new Entry(message.id(), message.group(), message.producer(), message.topic(), message.tag(),
                message.businessKey(), message.messageId(), message.attempt(), message.reason(), message.lastError(),
                message.bodyText(), message.exhaustedAt().toString(), message.replayCount(),
                message.replayedAt() == null ? null : message.replayedAt().toString());
        }

    }

    @ReadOperation
    public List<Entry> list(@Nullable String group, @Nullable Integer limit) {
        return messages.list(group, limit == null ? 50 : limit).stream().map(Entry::of).toList();
    }

    @ReadOperation
    public @Nullable Entry one(@Selector long id) {
        return messages.find(id).map(Entry::of).orElse(null);
    }

    @WriteOperation
    public ReplayResult replay(@Selector long id, @Nullable Integer attempt) {
        try {
            return messages.replay(id, attempt == null ? 0 : attempt);
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage());
        }
    }

}
