/**
 * Software transactional memory: optimistic multi-key transactions that run a function
 * again when another writer got there first.
 *
 * <p>
 * A recipe: built on {@code core.KeyValueOperations}, never on
 * {@code org.etcdspring.EtcdOperations}.
 */
@NullMarked
package org.etcdspring.stm;

import org.jspecify.annotations.NullMarked;
