/**
 * Distributed locks in the key layout of etcd's own lock recipe: {@link EtcdLocks} and
 * its {@link EtcdMutex} objects, the Spring Integration {@link EtcdLockRegistry}, and the
 * {@link EtcdLock @EtcdLock} annotation with its interceptor. Only
 * {@code EtcdLockRegistry} and {@code EtcdDistributedLock} need Spring Integration.
 */
@NullMarked
package org.etcdspring.lock;

import org.jspecify.annotations.NullMarked;
