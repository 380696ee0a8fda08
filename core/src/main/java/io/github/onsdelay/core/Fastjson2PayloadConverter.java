package io.github.onsdelay.core;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONException;

/**
 * JSON bodies written and read by fastjson2. AutoType stays off: a body's {@code "@type"} never chooses
 * the class that is created; the consumer's parameter type does. Kotlin data classes and generic types
 * (pass a {@link java.lang.reflect.ParameterizedType}) are supported. A {@code byte[]} is the body itself,
 * both ways, for messages of other producers that do not send JSON.
 */
public class Fastjson2PayloadConverter implements PayloadConverter {

    @Override
    public byte[] toBody(Object payload) {
        if (payload instanceof byte[] bytes) {
            return bytes;
        }
        try {
            return JSON.toJSONBytes(payload);
        }
        catch (JSONException ex) {
            throw new PayloadConversionException("Cannot write " + payload.getClass().getName() + " as JSON: "
                + ex.getMessage(), ex);
        }
    }

    @Override
    public Object fromBody(byte[] body, Type type) {
        if (type == byte[].class) {
            return body;
        }
        if (body.length == 0) {
            throw new PayloadConversionException("Empty body cannot be read as " + type.getTypeName(), null);
        }
        Object payload;
        try {
            payload = JSON.parseObject(body, type);
        }
        catch (RuntimeException ex) {
            // fastjson2 reports truncated input as IndexOutOfBoundsException, not only as JSONException.
            throw new PayloadConversionException("Body is not valid JSON for " + type.getTypeName() + ": "
                + ex.getMessage() + " (body starts with: " + preview(body) + ")", ex);
        }
        if (payload == null) {
            throw new PayloadConversionException("Body is JSON null, not a " + type.getTypeName(), null);
        }
        return payload;
    }

    private static String preview(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8);
        return body.length > 120 ? text + "..." : text;
    }

}
