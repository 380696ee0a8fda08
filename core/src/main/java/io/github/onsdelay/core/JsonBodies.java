package io.github.onsdelay.core;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** What the JSON payload converters share: the checks around a body, its start for a reason, and a sample. */
final class JsonBodies {

    /** What a converter's {@code prepare} writes and reads once: a record, a list and a map, as payloads are. */
    record Sample(String text, long number, List<String> items, Map<String, Integer> counts) {

        static Sample of() {
            return new Sample("sample", 1, List.of("a"), Map.of("b", 2));
        }

    }

    private JsonBodies() {
    }

    /** @throws PayloadConversionException for an empty body, which no JSON reads as anything */
    static void requireBody(byte[] body, Type type) {
        if (body.length == 0) {
            throw new PayloadConversionException("Empty body cannot be read as " + type.getTypeName(), null);
        }
    }

    /** The payload read; JSON {@code null} is a conversion failure, since a handler is given no null payload. */
    static Object requirePayload(@Nullable Object payload, Type type) {
        if (payload == null) {
            throw new PayloadConversionException("Body is JSON null, not a " + type.getTypeName(), null);
        }
        return payload;
    }

    /** A reading failure with the parser's reason and the body's start. */
    static PayloadConversionException unreadable(byte[] body, Type type, @Nullable String reason, Throwable cause) {
        return new PayloadConversionException("Body is not valid JSON for " + type.getTypeName() + ": " + reason
            + " (body starts with: " + preview(body) + ")", cause);
    }

    private static String preview(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8);
        return body.length > 120 ? text + "..." : text;
    }

}
