package io.github.onsdelay.core;

import org.jspecify.annotations.Nullable;

/**
 * A payload could not be written, or a body could not be read as the type asked for. Its message may quote the body
 * (the converters show its start, and a JSON parser's reason may too): {@link #withoutBody} is what may be shown
 * where bodies never are, the live page.
 */
public class PayloadConversionException extends OnsDelayException {

    private static final String WITHOUT_BODY = ": the body cannot be read as the listener's payload type (the "
        + "application's log has the reason, which quotes the body)";

    public PayloadConversionException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /** An error as text, a conversion's (stored or not) in words that quote nothing of the body. */
    public static String withoutBody(@Nullable Object error) {
        String name = PayloadConversionException.class.getName();
        String text = String.valueOf(error);
        // A stored error is only its text, which starts with the class's name.
        return error instanceof PayloadConversionException || text.startsWith(name) ? name + WITHOUT_BODY : text;
    }

}
