/**
 * The journal of ons-delay on the application's own database: sends made inside a transaction go through an
 * outbox, idempotent listeners handle each attempt once, producers cancel by business key, and exhausted
 * messages ({@link io.github.onsdelay.jdbc.ExhaustedMessages}) and outbox rows the broker kept refusing
 * ({@link io.github.onsdelay.jdbc.ParkedSends}) are kept to be listed and replayed.
 */
@NullMarked
package io.github.onsdelay.jdbc;

import org.jspecify.annotations.NullMarked;
