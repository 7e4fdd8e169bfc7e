/**
 * Directories and in-order keys on etcd's flat key space.
 *
 * <p>
 * A recipe: built on {@code core.KeyValueOperations} and {@code lease.LeaseOperations},
 * never on {@code org.etcdspring.EtcdOperations}.
 */
@NullMarked
package org.etcdspring.directory;

import org.jspecify.annotations.NullMarked;
