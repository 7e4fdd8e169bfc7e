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
	 * Whether the lease is still renewed and not known to be lost.
	 * @return {@code true} until the lease is lost or this keep-alive is closed
	 */
	boolean isAlive();

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
	 * Stop renewing the lease (it is not revoked: it expires after its time to live).
	 */
	@Override
	void close();

}
