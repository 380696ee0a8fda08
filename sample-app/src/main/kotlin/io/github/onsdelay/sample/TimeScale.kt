package io.github.onsdelay.sample

import io.github.onsdelay.core.RetrySchedule
import io.github.onsdelay.producer.autoconfigure.OnsProducerSettingsCustomizer
import org.springframework.boot.context.properties.bind.Binder
import org.springframework.context.annotation.Bean
import org.springframework.context.annotation.Configuration
import org.springframework.core.env.Environment
import java.time.Duration

/** Shrinks durations by `demo.time-scale`, so that a day of the demos' schedules plays out in seconds. */
class TimeScale(val factor: Double) {
    init {
        require(factor >= 1.0) { "demo.time-scale must be at least 1, was $factor" }
    }

    fun scale(duration: Duration): Duration =
        if (duration.isZero) duration else Duration.ofNanos(maxOf(1_000_000L, (duration.toNanos() / factor).toLong()))
}

@Configuration(proxyBeanMethods = false)
class TimeScaleConfiguration {

    @Bean
    fun timeScale(environment: Environment): TimeScale =
        TimeScale(Binder.get(environment).bind("demo.time-scale", Double::class.javaObjectType).orElse(7200.0)!!)

    /** Divides each producer's configured delays once they are read and checked. */
    @Bean
    fun producerTimeScaling(timeScale: TimeScale) = OnsProducerSettingsCustomizer { settings ->
        settings.withSchedule(RetrySchedule(timeScale.scale(settings.schedule.initialDelay),
            settings.schedule.delays.map(timeScale::scale)))
    }
}
