package io.github.onsdelay.embedded;

/**
 * An embedded RocketMQ server could not start, stop or carry out an operation.
 */
public class EmbeddedRocketMQException extends RuntimeException {

    public EmbeddedRocketMQException(String message) {
        super(message);
    }

    public EmbeddedRocketMQException(String message, Throwable cause) {
        super(message, cause);
    }

}
