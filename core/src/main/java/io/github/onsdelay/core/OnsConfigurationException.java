package io.github.onsdelay.core;

/**
 * The configuration is wrong: the message names the property (or bean and method), the value, and what
 * to do. Thrown at start-up.
 */
public class OnsConfigurationException extends OnsDelayException {

    public OnsConfigurationException(String message) {
        super(message);
    }

    public OnsConfigurationException(String message, @org.jspecify.annotations.Nullable Throwable cause) {
        super(message, cause);
    }

}
