/**
 * The journal of ons-delay on the application's own database: sends made inside a transaction go through an
 * outbox, idempotent listeners handle each attempt once, producers cancel by business key, and exhausted
 * messages are kept to be listed and replayed ({@link io.github.onsdelay.jdbc.ExhaustedMessages}).
 */
@NullMarked
package io.github.onsdelay.jdbc;

import org.jspecify.annotations.NullMarked;
