package io.github.onsdelay.sample

import io.github.onsdelay.producer.AbstractProducer
import org.springframework.beans.factory.config.BeanPostProcessor
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

    companion object {
        /** Divides each producer's configured delays after they are bound and before they are checked. */
        @Bean
        @JvmStatic
        fun producerTimeScaling(environment: Environment): BeanPostProcessor {
            val timeScale = timeScale(environment)
            return object : BeanPostProcessor {
                override fun postProcessBeforeInitialization(bean: Any, beanName: String): Any {
                    if (bean is AbstractProducer) {
                        bean.initialDelay = timeScale.scale(bean.initialDelay)
                        bean.delays = bean.delays.map(timeScale::scale)
                    }
                    return bean
                }
            }
        }

        fun timeScale(environment: Environment): TimeScale =
            TimeScale(Binder.get(environment).bind("demo.time-scale", Double::class.javaObjectType).orElse(7200.0)!!)
    }

    @Bean
    fun timeScale(environment: Environment): TimeScale = Companion.timeScale(environment)
}
