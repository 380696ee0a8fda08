package io.github.onsdelay.consumer

import com.fasterxml.jackson.annotation.JsonTypeInfo
import io.github.onsdelay.core.JacksonPayloadConverter
import io.github.onsdelay.core.PayloadConverter
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker
import io.github.onsdelay.embedded.TopicMessageType
import io.github.onsdelay.producer.DelayMessage
import io.github.onsdelay.producer.DelayProducer
import io.github.onsdelay.test.TestApplication
import org.assertj.core.api.Assertions.assertThat
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.springframework.boot.Banner
import org.springframework.boot.WebApplicationType
import org.springframework.boot.builder.SpringApplicationBuilder
import org.springframework.context.ConfigurableApplicationContext
import java.time.Duration
import java.time.Instant
import java.time.LocalDate
import java.time.LocalDateTime
import java.time.temporal.ChronoUnit
import java.util.Date
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList

enum class FormatStatus { PLACED, PAID }

data class FormatLine(val sku: String, val quantity: Int, val tags: List<String>)

data class FormatOrder(
    val id: String,
    val status: FormatStatus,
    val placedAt: Instant,
    val deliverOn: LocalDate,
    val remindAt: LocalDateTime,
    val lines: List<FormatLine>,
    val byWarehouse: Map<String, List<FormatLine>>,
    val sentAt: Date,
    val note: String? = null,
)

/** A type whose subtypes a body could name by class, if the converter let it. */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
interface FormatCommand

/** A subtype a body names by class: what it names must not be created, even where it would fit. */
class RunCommand : FormatCommand

class FormatOrderListener {
    val received = ConcurrentHashMap<String, FormatOrder>()

    @OnsListener(producer = "formats", group = "\${formats.group}")
    fun order(order: FormatOrder) {
        received[order.id] = order
    }
}

class FormatCommandListener {
    val received = CopyOnWriteArrayList<Any>()
    val exhausted = CopyOnWriteArrayList<Exhaustion>()

    @OnsListener(producer = "commands", group = "formats-commands")
    fun command(command: FormatCommand) {
        received += command
    }

    @OnsExhausted
    fun exhausted(exhaustion: Exhaustion) {
        exhausted += exhaustion
    }
}

/**
 * fastjson2 (the default, the original ONS code's) and `mqs.ons.payload-format: jackson` (the application's Jackson
 * 3 mapper) on one topic: each side's listener reads what the other side's producer sent, a Kotlin data class with
 * an instant, a date, a date-time (which fastjson2 writes as `2026-12-23 18:30:15`), a `java.util.Date`, an enum,
 * nested lists, a map of lists and a null; with Jackson, a body that names a class, or does
 * not fit the type, is poison with the reason.
 */
class PayloadFormatsIntegrationTests {

    companion object {
        lateinit var broker: EmbeddedRocketMQBroker

        @JvmStatic
        @BeforeAll
        fun start() {
            broker = EmbeddedRocketMQBroker.builder().timerFlushInterval(Duration.ofMinutes(1))
                .topic("consumer_formats", TopicMessageType.DELAY).topic("consumer_commands", TopicMessageType.DELAY)
                .build().start()
        }

        @JvmStatic
        @AfterAll
        fun stop() = broker.close()
    }

    private fun application(format: String?, vararg beans: Class<*>): ConfigurableApplicationContext =
        SpringApplicationBuilder(TestApplication::class.java, *beans).web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .properties(
                *listOfNotNull(
                    "mqs.ons.endpoints=${broker.endpoints()}", "mqs.ons.timer-precision=100ms",
                    "mqs.ons.producers.formats.topic=consumer_formats",
                    "mqs.ons.producers.commands.topic=consumer_commands",
                    "formats.group=formats-${format ?: "fastjson2"}",
                    format?.let { "mqs.ons.payload-format=$it" },
                ).toTypedArray(),
            ).run()

    private fun order(id: String) = FormatOrder(
        id, FormatStatus.PAID, Instant.now().truncatedTo(ChronoUnit.MILLIS), LocalDate.of(2026, 12, 24),
        LocalDateTime.of(2026, 12, 23, 18, 30, 15), listOf(FormatLine("sku-1", 2, listOf("gift", "fragile")),
            FormatLine("sku-2", 1, emptyList())), mapOf("north" to listOf(FormatLine("sku-3", 5, listOf("cold")))),
        Date(1_767_000_000_123),
    )

    @Test
    fun `a fastjson2 producer and a Jackson listener agree, and the other way round`() {
        application(null, FormatOrderListener::class.java).use { fastjson2 ->
            application("jackson", FormatOrderListener::class.java).use { jackson ->
                assertThat(jackson.getBean(PayloadConverter::class.java)).isInstanceOf(JacksonPayloadConverter::class.java)
                assertThat(fastjson2.getBean(PayloadConverter::class.java))
                    .isNotInstanceOf(JacksonPayloadConverter::class.java)
                val fromFastjson2 = order("from-fastjson2")
                val fromJackson = order("from-jackson")
                fastjson2.getBean("formats", DelayProducer::class.java).send(DelayMessage.of(fromFastjson2))
                jackson.getBean("formats", DelayProducer::class.java).send(DelayMessage.of(fromJackson))

                val jacksonListener = jackson.getBean(FormatOrderListener::class.java)
                val fastjson2Listener = fastjson2.getBean(FormatOrderListener::class.java)
                await().atMost(Duration.ofSeconds(15)).until {
                    jacksonListener.received.size == 2 && fastjson2Listener.received.size == 2
                }
                assertThat(jacksonListener.received["from-fastjson2"]).isEqualTo(fromFastjson2)
                assertThat(fastjson2Listener.received["from-jackson"]).isEqualTo(fromJackson)
                assertThat(jacksonListener.received["from-jackson"]).isEqualTo(fromJackson)
                assertThat(fastjson2Listener.received["from-fastjson2"]).isEqualTo(fromFastjson2)
            }
        }
    }

    @Test
    fun `with Jackson a body that names a class, or does not fit, is poison with the reason`() {
        application("jackson", FormatCommandListener::class.java).use { jackson ->
            val commands = jackson.getBean("commands", DelayProducer::class.java)
            commands.send(DelayMessage.of("{\"@class\":\"io.github.onsdelay.consumer.RunCommand\"}".toByteArray())
                .withKey("names-a-class"))
            commands.send(DelayMessage.of("{\"@class\":".toByteArray()).withKey("truncated"))
            val listener = jackson.getBean(FormatCommandListener::class.java)
            await().atMost(Duration.ofSeconds(15)).until { listener.exhausted.size == 2 }
            assertThat(listener.received).isEmpty()
            val byKey = listener.exhausted.associateBy { it.context().businessKey() }
            assertThat(byKey.getValue("names-a-class").reason()).isEqualTo(Exhaustion.Reason.POISON)
            assertThat(byKey.getValue("names-a-class").lastError().message)
                .contains("Body is not valid JSON for io.github.onsdelay.consumer.FormatCommand")
                .contains("io.github.onsdelay.consumer.RunCommand")
            assertThat(byKey.getValue("truncated").reason()).isEqualTo(Exhaustion.Reason.POISON)
            assertThat(byKey.getValue("truncated").lastError().message).contains("body starts with: {\"@class\":")
        }
    }
}
