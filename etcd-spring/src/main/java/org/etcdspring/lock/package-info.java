/**
 * Distributed locks in the key layout of etcd's own lock recipe: {@link EtcdLocks} and
 * its {@link EtcdMutex} objects, the Spring Integration {@link EtcdLockRegistry}, and the
 * {@link EtcdLock @EtcdLock} annotation with its interceptor. Only
 * {@code EtcdLockRegistry} and {@code EtcdDistributedLock} need Spring Integration.
 *
 * <p>
 * A recipe: built on {@code core.KeyValueOperations}, {@code lease.LeaseOperations} and
 * {@code watch.WatchOperations}, never on {@code org.etcdspring.EtcdOperations}.
 */
@NullMarked
package org.etcdspring.lock;

import org.jspecify.annotations.NullMarked;
