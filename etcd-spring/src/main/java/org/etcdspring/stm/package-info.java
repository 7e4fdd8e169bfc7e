/**
 * Software transactional memory: optimistic multi-key transactions that run a function
 * again when another writer got there first.
 */
@NullMarked
package org.etcdspring.stm;

import org.jspecify.annotations.NullMarked;
