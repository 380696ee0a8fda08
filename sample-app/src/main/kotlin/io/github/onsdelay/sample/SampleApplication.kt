package io.github.onsdelay.sample

import org.springframework.boot.autoconfigure.SpringBootApplication
import org.springframework.boot.runApplication

/** Demos of ons-delay; by default it runs on a RocketMQ server embedded in its own JVM. */
@SpringBootApplication
class SampleApplication

fun main(args: Array<String>) {
    runApplication<SampleApplication>(*args)
}
