package io.github.onsdelay.core;

import org.jspecify.annotations.Nullable;

/**
 * Root of the exceptions ons-delay throws.
 */
public class OnsDelayException extends RuntimeException {

    public OnsDelayException(String message) {
        super(message);
    }

    public OnsDelayException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /** The first cause that is not an ons-delay exception, or this exception when there is none. */
    public Throwable unwrap() {
        Throwable current = this;
        while (current instanceof OnsDelayException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

}
