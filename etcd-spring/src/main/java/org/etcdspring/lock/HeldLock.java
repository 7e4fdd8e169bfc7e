package org.etcdspring.lock;

import java.time.Instant;

/**
 * A lock held by this process at the moment it was listed, for metrics and diagnostics.
 *
 * @param name the lock name
 * @param ownerKey the key that holds it
 * @param fencingToken the owner key's create revision
 * @param since when this process took it
 * @author etcd-spring
 * @since 0.1.0
 * @see EtcdLocks#heldLocks()
 */
public record HeldLock(String name, String ownerKey, long fencingToken, Instant since) {
}
