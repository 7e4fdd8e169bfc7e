package org.etcdspring.lease;

/**
 * A lease being renewed by the shared keep-alive scheduler.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public interface LeaseKeepAlive extends AutoCloseable {

	/**
	 * The lease being kept alive.
	 * @return the lease
	 */
	Lease lease();

	/**
	 * Whether the lease is still renewed, not known to be lost, and its local deadline
	 * has not passed. Answered from memory, with no I/O.
	 * @return {@code true} until the lease is lost, this keep-alive is closed, or
	 * {@link #aliveUntilNanos()} has passed
	 */
	boolean isAlive();

	/**
	 * The local deadline of the lease: the latest {@link System#nanoTime()} at which it
	 * can still be alive on the server, its time to live counted from when the last
	 * successful grant or keep-alive request was sent. Past it, this process must not
	 * assume that anything on the lease (a lock, a leadership) is still its own.
	 * @return the deadline, on the {@link System#nanoTime()} clock
	 */
	long aliveUntilNanos();

	/**
	 * Add a listener; if the lease is already lost, it is told at once.
	 * @param listener the listener
	 */
	void addListener(LeaseListener listener);

	/**
	 * Remove a listener added before, so that a long-lived lease does not collect the
	 * listeners of short-lived users.
	 * @param listener the listener
	 */
	void removeListener(LeaseListener listener);

	/**
	 * Retry, in the background, a clean-up of a key on this lease that failed (a release
	 * while etcd was unreachable): until it runs without an
	 * {@link org.etcdspring.core.EtcdException} or the lease is no longer
	 * {@link #isAlive() alive} (then its keys go with it). So a key released in vain is
	 * never kept alive for as long as the lease is. The action must be safe to repeat (a
	 * delete guarded on the key's create revision).
	 * @param description what the action does, for the log
	 * @param action the clean-up
	 */
	void retryWhileAlive(String description, Runnable action);

	/**
	 * Stop renewing the lease (it is not revoked: it expires after its time to live).
	 */
	@Override
	void close();

}
