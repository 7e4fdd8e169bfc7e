package org.etcdspring.core;

/**
 * A lock held through an etcd key, as etcd's own lock recipe holds one: the key's create
 * revision is the lock's fencing token, and a write guarded by
 * {@link Txn#ifHeld(FencedLock)} applies only while that very key still exists, so a
 * holder that lost the lock (its lease expired, its key was deleted) cannot write.
 *
 * @author etcd-spring
 * @since 0.1.0
 * @see org.etcdspring.lock.EtcdMutex
 */
public interface FencedLock {

	/**
	 * The key whose existence is the hold on the lock.
	 * @return the owner key, without the client's namespace
	 * @throws IllegalStateException when the lock is not held in this process
	 */
	String ownerKey();

	/**
	 * The create revision of the {@link #ownerKey() owner key}: it grows with every hold
	 * of the lock, so a write stamped with an older token can be told apart.
	 * @return the fencing token
	 * @throws IllegalStateException when the lock is not held in this process
	 */
	long fencingToken();

}
