@file:JvmName("DelayProducerExtensions")

package io.github.onsdelay.producer

import io.github.onsdelay.core.RetrySchedule
import kotlinx.coroutines.future.await
import java.time.Instant
import kotlin.time.Duration
import kotlin.time.toJavaDuration

/** Sends attempt 0 and suspends, holding no thread, until the broker accepted it; throws `OnsSendException` when it did not. */
suspend fun DelayProducer.sendAndAwait(payload: Any): SendResult = sendAsync(payload).await()

/** Sends a message with its own options and suspends until the broker accepted it. */
suspend fun DelayProducer.sendAndAwait(message: DelayMessage): SendResult = sendAsync(message).await()

/** Sends a message due at an absolute time and suspends until the broker accepted it. */
suspend fun DelayProducer.deliverAtAndAwait(payload: Any, dueAt: Instant): SendResult =
    deliverAtAsync(payload, dueAt).await()

/** A schedule written with Kotlin durations: `retryScheduleOf(0.seconds, listOf(1.hours, 3.hours, 1.days, 3.days))`. */
fun retryScheduleOf(initialDelay: Duration, delays: List<Duration> = emptyList()): RetrySchedule =
    RetrySchedule(initialDelay.toJavaDuration(), delays.map { it.toJavaDuration() })

/** The same settings with another schedule, written with Kotlin durations. */
fun ProducerSettings.withSchedule(initialDelay: Duration, delays: List<Duration> = emptyList()): ProducerSettings =
    withSchedule(retryScheduleOf(initialDelay, delays))
