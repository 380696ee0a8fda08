package io.github.onsdelay.core;

import java.lang.reflect.Type;
import java.util.concurrent.atomic.AtomicBoolean;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONException;
import com.alibaba.fastjson2.JSONFactory;
import com.alibaba.fastjson2.util.TypeUtils;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * JSON bodies written and read by fastjson2. AutoType stays off: a body's {@code "@type"} never chooses
 * the class that is created; the consumer's parameter type does. Kotlin data classes and generic types
 * (pass a {@link java.lang.reflect.ParameterizedType}) are supported. A {@code byte[]} is the body itself,
 * both ways, for messages of other producers that do not send JSON. {@link #prepare} builds fastjson2's machinery
 * and a type's reader and writer ahead of the first message: on a cold JVM they cost that message 150-250 ms
 * (BENCHMARKS.md, the first second after start-up).
 */
public class Fastjson2PayloadConverter implements PayloadConverter {

    private static final Log LOG = LogFactory.getLog(Fastjson2PayloadConverter.class);

    private final AtomicBoolean shared = new AtomicBoolean();


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
        JsonBodies.requireBody(body, type);
        Object payload;
        try {
            payload = JSON.parseObject(body, type);
        }
        catch (RuntimeException ex) {
            // fastjson2 reports truncated input as IndexOutOfBoundsException, not only as JSONException.
            throw JsonBodies.unreadable(body, type, ex.getMessage(), ex);
        }
        return JsonBodies.requirePayload(payload, type);
    }

    /**
     * The first call writes and reads a {@code Sample} (fastjson2's writers, readers and the class generation of
     * both); each call builds {@code type}'s reader and writer unless it is {@code Object} or {@code byte[]}.
     */
    @Override
    public void prepare(Type type) {
        try {
            if (shared.compareAndSet(false, true)) {
                fromBody(toBody(JsonBodies.Sample.of()), JsonBodies.Sample.class);
            }
            if (type != Object.class && type != byte[].class) {
                JSONFactory.getDefaultObjectReaderProvider().getObjectReader(type);
                JSONFactory.getDefaultObjectWriterProvider().getObjectWriter(TypeUtils.getClass(type));
            }
        }
        catch (RuntimeException | LinkageError ex) {
            // Its first message reports what is wrong with the type, where the handler's error is looked for.
            LOG.debug("Could not prepare the JSON conversion of " + type.getTypeName(), ex);
        }
    }


}
