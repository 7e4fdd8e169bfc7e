package org.etcdspring.lock;

/**
 * Told when a lock held by this process is lost: its lease could not be renewed before it
 * expired, or its owner key was deleted. Called on a notification thread of the
 * {@link EtcdLocks}, one loss at a time.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
@FunctionalInterface
public interface LockListener {

	/**
	 * A lock was lost: another contender may hold it now. The thread that held it still
	 * holds it locally until it unlocks, which throws
	 * {@link java.util.ConcurrentModificationException}.
	 * @param event what was lost and why
	 */
	void lockLost(EtcdLockLostEvent event);

}
