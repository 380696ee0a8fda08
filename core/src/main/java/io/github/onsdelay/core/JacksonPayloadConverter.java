package io.github.onsdelay.core;

import java.lang.reflect.Type;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.deser.DeserializationProblemHandler;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

/**
 * JSON bodies written and read by the application's own Jackson 3 {@code JsonMapper} ({@code mqs.ons.payload-format:
 * jackson}): its modules, naming strategy and date handling.
 *
 * <ul>
 * <li>A body never chooses the class that is created: the mapper's default typing is turned off, and its validator
 * refuses every class a body names ({@code @JsonTypeInfo(use = CLASS)}); subtypes a type declares by name
 * ({@code @JsonSubTypes}) still work.</li>
 * <li>A body that cannot be read as the parameter type is a {@link PayloadConversionException} with the reason and
 * the body's start: the message goes to exhaustion as poison, never round a loop.</li>
 * <li>A {@code byte[]} is the body itself, both ways, as with {@link Fastjson2PayloadConverter}.</li>
 * <li>What fastjson2 producers send reads as they meant it: their {@code LocalDateTime}s too.</li>
 * <li>{@link #prepare} builds a type's reader and writer ahead of its first message.</li>
 * </ul>
 */
public class JacksonPayloadConverter implements PayloadConverter {

    private static final Log LOG = LogFactory.getLog(JacksonPayloadConverter.class);

    private final JsonMapper mapper;

    private final AtomicBoolean shared = new AtomicBoolean();


    /**
     * Converts with a copy of {@code mapper} whose bodies cannot name classes, and which reads fastjson2's date-times
     * as well.
     */
    public JacksonPayloadConverter(JsonMapper mapper) {
        this.mapper = mapper.rebuild().deactivateDefaultTyping()
            .polymorphicTypeValidator(BasicPolymorphicTypeValidator.builder().build())
            .addHandler(new Fastjson2DateTimes()).build();
    }

    @Override
    public byte[] toBody(Object payload) {
        if (payload instanceof byte[] bytes) {
            return bytes;
        }
        try {
            return mapper.writeValueAsBytes(payload);
        }
        catch (JacksonException ex) {
            throw new PayloadConversionException("Cannot write " + payload.getClass().getName() + " as JSON with "
                + "Jackson: " + ex.getOriginalMessage(), ex);
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
            payload = mapper.readValue(body, mapper.constructType(type));
        }
        catch (JacksonException | IllegalArgumentException ex) {
            String reason = ex instanceof JacksonException jackson ? jackson.getOriginalMessage() : ex.getMessage();
            throw JsonBodies.unreadable(body, type, reason, ex);
        }
        return JsonBodies.requirePayload(payload, type);
    }

    /**
     * The first call writes and reads a {@code Sample}; each call builds {@code type}'s reader and writer (an
     * {@code ObjectReader} and {@code ObjectWriter} made for a type find its deserializer and serializer at once,
     * and the mapper keeps them) unless it is {@code Object} or {@code byte[]}.
     */
    @Override
    public void prepare(Type type) {
        try {
            if (shared.compareAndSet(false, true)) {
                fromBody(toBody(JsonBodies.Sample.of()), JsonBodies.Sample.class);
            }
            if (type != Object.class && type != byte[].class) {
                JavaType javaType = mapper.constructType(type);
                mapper.readerFor(javaType);
                mapper.writerFor(javaType);
            }
        }
        catch (RuntimeException | LinkageError ex) {
            // Its first message reports what is wrong with the type, where the handler's error is looked for.
            LOG.debug("Could not prepare the JSON conversion of " + type.getTypeName(), ex);
        }
    }

    /**
     * fastjson2, the default format and the original ONS code's, writes a {@code LocalDateTime} as
     * {@code 2026-12-23 18:30:15} (a fraction after a dot when there is one), and a {@code java.util.Date} the same way
     * in the JVM's time zone, neither of which Jackson reads: so that a Jackson listener reads what a fastjson2
     * producer sent, such a value is read when Jackson's own reading failed, a {@code Date} in the JVM's time zone as
     * fastjson2 reads it. Nothing Jackson reads itself changes.
     */
    private static final class Fastjson2DateTimes extends DeserializationProblemHandler {

        private static final Pattern DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?");

        @Override
        public Object handleWeirdStringValue(DeserializationContext context, Class<?> targetType, String value,
                String failure) {
            if (!DATE_TIME.matcher(value).matches()) {
                return NOT_HANDLED;
            }
            LocalDateTime dateTime = LocalDateTime.parse(value.replace(' ', 'T'));
            if (targetType == LocalDateTime.class) {
                return dateTime;
            }
            if (targetType == Date.class) {
                return Date.from(dateTime.atZone(ZoneId.systemDefault()).toInstant());
            }
            return NOT_HANDLED;
        }

    }


}
