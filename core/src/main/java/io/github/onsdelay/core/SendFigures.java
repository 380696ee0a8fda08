package io.github.onsdelay.core;

/**
 * What one producer's sends from the application have come to since it started. Retries and hops sent on by
 * listeners are counted by the listeners, not here.
 *
 * @param sent messages the broker accepted
 * @param hops of those, messages due too far ahead for one delay, which travel in hops
 * @param failed sends that failed: refused by the broker, not answered within the send timeout, or refused
 *     before sending (too far ahead with hops off)
 */
public record SendFigures(long sent, long hops, long failed) {
}
