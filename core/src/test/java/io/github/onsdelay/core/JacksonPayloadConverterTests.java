package io.github.onsdelay.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

/** The Jackson converter against fastjson2's, with the application's mapper settings kept. */
class JacksonPayloadConverterTests {

    record Reminder(String orderId, LocalDateTime remindAt, Date sentAt, List<Map<String, Integer>> counts) {
    }

    private final Fastjson2PayloadConverter fastjson2 = new Fastjson2PayloadConverter();

    @Test
    void readsWhatFastjson2WritesDateTimesIncluded() {
        Reminder reminder = new Reminder("o-1", LocalDateTime.of(2026, 12, 23, 18, 30, 15, 120_000_000),
            Date.from(LocalDateTime.of(2025, 12, 29, 9, 20).atZone(ZoneId.systemDefault()).toInstant()),
            List.of(Map.of("a", 1)));
        byte[] body = fastjson2.toBody(reminder);
        assertThat(new String(body, StandardCharsets.UTF_8)).contains("\"2026-12-23 18:30:15.120\"")
            .contains("\"2025-12-29 09:20:00\"");
        JacksonPayloadConverter jackson = new JacksonPayloadConverter(JsonMapper.builder().build());
        assertThat(jackson.fromBody(body, Reminder.class)).isEqualTo(reminder);
        assertThat(fastjson2.fromBody(jackson.toBody(reminder), Reminder.class)).isEqualTo(reminder);
    }

    @Test
    void keepsTheApplicationsNamingButNotItsDefaultTyping() {
        JsonMapper application = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .activateDefaultTyping(BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build(),
                DefaultTyping.NON_FINAL)
            .build();
        JacksonPayloadConverter jackson = new JacksonPayloadConverter(application);
        String body = new String(jackson.toBody(new Reminder("o-2", LocalDateTime.of(2026, 1, 1, 0, 0), new Date(0),
            List.of())), StandardCharsets.UTF_8);
        assertThat(body).contains("\"order_id\":\"o-2\"").doesNotContain("@class").doesNotContain("java.util");
    }

    @Test
    void aBodyThatDoesNotFitIsAConversionFailureWithTheReasonAndItsStart() {
        JacksonPayloadConverter jackson = new JacksonPayloadConverter(JsonMapper.builder().build());
        assertThatExceptionOfType(PayloadConversionException.class)
            .isThrownBy(() -> jackson.fromBody("{\"orderId\":[1,".getBytes(StandardCharsets.UTF_8), Reminder.class))
            .withMessageContaining("Body is not valid JSON for " + Reminder.class.getTypeName())
            .withMessageContaining("body starts with: {\"orderId\":[1,");
        assertThatExceptionOfType(PayloadConversionException.class)
            .isThrownBy(() -> jackson.fromBody("null".getBytes(StandardCharsets.UTF_8), Reminder.class))
            .withMessageContaining("JSON null");
        assertThat(jackson.fromBody(new byte[] { 1, 2 }, byte[].class)).isEqualTo(new byte[] { 1, 2 });
        jackson.prepare(Reminder.class);
        jackson.prepare(Object.class);
    }

}
