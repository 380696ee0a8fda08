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

}
