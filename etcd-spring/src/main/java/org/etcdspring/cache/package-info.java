/**
 * Caches: live, revision-consistent local copies of a key prefix, kept current by a
 * watch.
 *
 * <p>
 * A recipe: built on {@code core.KeyValueOperations} and {@code watch.WatchOperations},
 * never on {@code org.etcdspring.EtcdOperations}.
 */
@NullMarked
package org.etcdspring.cache;

import org.jspecify.annotations.NullMarked;
