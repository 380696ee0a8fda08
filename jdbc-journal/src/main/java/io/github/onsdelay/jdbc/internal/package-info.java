/**
 * The machinery of the journal: SQL per database, the schema check, the outbox and its relay, the listener
 * side. Not an API: it may change in any release.
 */
@NullMarked
package io.github.onsdelay.jdbc.internal;

import org.jspecify.annotations.NullMarked;
