package io.github.onsdelay.core;

import java.lang.reflect.Type;

/**
 * Turns payloads into message bodies and back. The default writes JSON with fastjson2, autoType off;
 * declare a bean of this type to replace it for both producers and consumers.
 */
public interface PayloadConverter {

    /** The message body for a payload. */
    byte[] toBody(Object payload);

    /**
     * The payload of a body, as {@code type} (a class or a generic type such as {@code List<Order>}).
     * @throws PayloadConversionException when the body cannot be read as that type
     */
    Object fromBody(byte[] body, Type type);

    /**
     * Readies the conversion of {@code type} before the first message needs it, so that the first message after a
     * start is not late for it: called at start-up, before the application reports started, with
     * {@code Object.class} for what every type shares, and with each listener's payload type. It must not throw
     * (a type it cannot ready fails on its first message, as it would have anyway). The default does nothing.
     */
    default void prepare(Type type) {
    }

}
