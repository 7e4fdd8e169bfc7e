/**
 * Watches: streams of changes that resume without loss after reconnects.
 *
 * <p>
 * Layer: on {@code core} and {@code core.transport}; the recipes use watches through
 * {@link org.etcdspring.watch.WatchOperations}.
 */
@NullMarked
package org.etcdspring.watch;

import org.jspecify.annotations.NullMarked;
