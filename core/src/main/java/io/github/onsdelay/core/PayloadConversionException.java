package io.github.onsdelay.core;

import org.jspecify.annotations.Nullable;

/**
 * A payload could not be written, or a body could not be read as the type asked for.
 */
public class PayloadConversionException extends OnsDelayException {

    public PayloadConversionException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

}
