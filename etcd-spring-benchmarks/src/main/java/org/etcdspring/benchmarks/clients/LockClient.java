package org.etcdspring.benchmarks.clients;

/**
 * Takes and releases locks in the layout of etcd's {@code concurrency.Mutex}, on a lease
 * that the client keeps alive. Only uncontended locks are measured.
 *
 * @author etcd-spring
 */
public interface LockClient extends AutoCloseable {

	/**
	 * Acquire a lock that nobody else holds or waits for.
	 * @param name the lock's name (the key prefix of its holders)
	 * @return the held lock
	 * @throws IllegalStateException when someone else holds the lock
	 */
	Held lock(String name);

	/**
	 * Stop keeping the lease alive and revoke it.
	 */
	@Override
	void close();

	/**
	 * A lock that is held.
	 */
	@FunctionalInterface
	interface Held {

		/**
		 * Release the lock.
		 */
		void unlock();

	}

}
