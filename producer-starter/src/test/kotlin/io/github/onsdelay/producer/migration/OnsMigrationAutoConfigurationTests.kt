package io.github.onsdelay.producer.migration

import io.github.onsdelay.core.autoconfigure.OnsClientAutoConfiguration
import io.github.onsdelay.producer.AbstractProducer
import io.github.onsdelay.producer.DelayProducer
import io.github.onsdelay.producer.autoconfigure.OnsProducerAutoConfiguration
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.context.properties.ConfigurationProperties
import org.springframework.boot.test.context.runner.ApplicationContextRunner
import org.springframework.core.NestedExceptionUtils
import java.time.Duration

/** The original ONS subclass as it was: its own retry list, bound from its own section. */
@ConfigurationProperties("mqs.ons.producers.xxx-producer")
class CleanReportPushEventProducer : AbstractProducer() {
    lateinit var delaySecondList: List<Long>
}

/** A port that kept the list in code instead of the yml: the library would never see it. */
@ConfigurationProperties("mqs.ons.producers.xxx-producer")
class ListInCodeProducer : AbstractProducer() {
    var delaySecondList: List<Long> = listOf(3600, 10800)
}

/** A port that kept the original's tag field with a value in code the yml does not give. */
@ConfigurationProperties("mqs.ons.producers.xxx-producer")
class TagInCodeProducer : AbstractProducer() {
    var tag: String? = "push"
}

/** No server runs here: producers are created without one. */
class OnsMigrationAutoConfigurationTests {

    private val runner = ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(OnsClientAutoConfiguration::class.java, OnsProducerAutoConfiguration::class.java))
        .withPropertyValues("mqs.ons.endpoints=127.0.0.1:1")

    private val originalYml = arrayOf(
        "mqs.ons.producers.xxx-producer.producer-id=PID_CLEAN_REPORT_PUSH",
        "mqs.ons.producers.xxx-producer.topic=clean_report",
        "mqs.ons.producers.xxx-producer.tag=push",
        "mqs.ons.producers.xxx-producer.timeout-millis=5000",
        "mqs.ons.producers.xxx-producer.delay-send-time-mills=1500",
        "mqs.ons.producers.xxx-producer.delay-second-list=3600, 10800, 86400, 259200",
    )

    @Test
    fun `the original's keys drive the library's settings and the subclass's own field alike`() {
        runner.withBean(CleanReportPushEventProducer::class.java).withPropertyValues(*originalYml).run { context ->
            assertThat(context).hasNotFailed()
            val producer = context.getBean(CleanReportPushEventProducer::class.java)
            assertThat(producer.schedule.delays)
                .containsExactly(Duration.ofHours(1), Duration.ofHours(3), Duration.ofDays(1), Duration.ofDays(3))
            assertThat(producer.schedule.initialDelay).isEqualTo(Duration.ofMillis(1500))
            assertThat(producer.settings.sendTimeout).isEqualTo(Duration.ofSeconds(5))
            assertThat(producer.settings.topic).isEqualTo("clean_report")
            assertThat(producer.delaySecondList).containsExactly(3600L, 10800L, 86400L, 259200L)
            assertThat(context.getBeansOfType(DelayProducer::class.java)).hasSize(1)
        }
    }

    @Test
    fun `a setting and its ONS-style twin together fail start-up naming both`() {
        runner.withPropertyValues(
            "mqs.ons.producers.p.topic=a",
            "mqs.ons.producers.p.delays=1h",
            "mqs.ons.producers.p.delay-second-list=3600",
            "mqs.ons.producers.p.send-timeout=3s",
            "mqs.ons.producers.p.timeout-millis=3000",
        ).run { context ->
            val message = NestedExceptionUtils.getMostSpecificCause(context.startupFailure!!).message
            assertThat(message)
                .contains("mqs.ons.producers.p.delays and mqs.ons.producers.p.delay-second-list are the same setting")
                .contains("mqs.ons.producers.p.send-timeout and mqs.ons.producers.p.timeout-millis are the same setting")
        }
    }

    @Test
    fun `a bad value under an ONS-style name is reported under that name`() {
        runner.withPropertyValues("mqs.ons.producers.p.topic=a", "mqs.ons.producers.p.delay-second-list=60, 0")
            .run { context ->
                assertThat(NestedExceptionUtils.getMostSpecificCause(context.startupFailure!!))
                    .hasMessageContaining("mqs.ons.producers.p.delay-second-list[1]=PT0S must be positive")
            }
    }

    @Test
    fun `a subclass whose own retry list is not what the library reads fails start-up naming the field`() {
        runner.withBean(ListInCodeProducer::class.java)
            .withPropertyValues("mqs.ons.producers.xxx-producer.topic=clean_report")
            .run { context ->
                assertThat(NestedExceptionUtils.getMostSpecificCause(context.startupFailure!!)).hasMessageContaining(
                    ListInCodeProducer::class.java.name + ".delaySecondList is [3600, 10800], but " +
                        "mqs.ons.producers.xxx-producer.delay-second-list is not set")
            }
    }

    @Test
    fun `a subclass whose own list is bound from the yml starts`() {
        runner.withBean(ListInCodeProducer::class.java)
            .withPropertyValues("mqs.ons.producers.xxx-producer.topic=clean_report",
                "mqs.ons.producers.xxx-producer.delay-second-list=60")
            .run { context ->
                assertThat(context).hasNotFailed()
                assertThat(context.getBean(ListInCodeProducer::class.java).schedule.delays)
                    .containsExactly(Duration.ofMinutes(1))
            }
    }

    @Test
    fun `a subclass with a tag of its own fails start-up naming it`() {
        runner.withBean(TagInCodeProducer::class.java)
            .withPropertyValues("mqs.ons.producers.xxx-producer.topic=clean_report")
            .run { context ->
                assertThat(NestedExceptionUtils.getMostSpecificCause(context.startupFailure!!)).hasMessageContaining(
                    TagInCodeProducer::class.java.name + ".tag is push, but " +
                        "mqs.ons.producers.xxx-producer.tag is not set")
            }
    }
}
