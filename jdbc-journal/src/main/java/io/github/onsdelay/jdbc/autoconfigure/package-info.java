/**
 * Auto-configuration of the journal, when the application has a DataSource and a transaction manager.
 */
@NullMarked
package io.github.onsdelay.jdbc.autoconfigure;

import org.jspecify.annotations.NullMarked;
