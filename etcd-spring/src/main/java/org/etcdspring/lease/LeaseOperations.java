package org.etcdspring.lease;

import java.time.Duration;
import java.util.Optional;

/**
 * Leases: grant, revoke, renew, inspect, and keep alive in the background.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public interface LeaseOperations {

	/**
	 * Grant a lease.
	 * @param ttl its time to live, at least one second (etcd counts whole seconds;
	 * fractions are rounded up)
	 * @return the lease
	 */
	Lease grant(Duration ttl);

	/**
	 * Revoke a lease, deleting every key attached to it. With a namespace, a lease that
	 * holds keys outside it is refused.
	 * @param leaseId the lease
	 * @return {@code false} when the lease did not exist (any more)
	 */
	boolean revoke(long leaseId);

	/**
	 * Renew a lease once, restoring its full time to live.
	 * @param leaseId the lease
	 * @return the restored time to live, or empty when the lease is gone
	 */
	Optional<Duration> keepAliveOnce(long leaseId);

	/**
	 * Read what the server knows of a lease.
	 * @param leaseId the lease
	 * @param withKeys whether to list the keys attached to it (only those inside the
	 * client's namespace, without the namespace)
	 * @return the status, or empty when the lease is gone
	 */
	Optional<LeaseStatus> timeToLive(long leaseId, boolean withKeys);

	/**
	 * Renew a lease in the background at a third of its time to live until closed,
	 * reporting every failed renewal and the loss of the lease to the listener.
	 * @param lease the lease
	 * @param listener told of failures and loss
	 * @return the keep-alive, to stop it
	 */
	LeaseKeepAlive keepAlive(Lease lease, LeaseListener listener);

}
