package org.etcdspring.lease;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.EtcdException;

/**
 * Told what happens to a lease kept alive by a {@link LeaseKeepAlive}: every failed
 * renewal, and the loss of the lease. Called in order on the keep-alive's event thread,
 * never on a thread that renews leases: a slow listener delays no renewal, but other
 * listeners' news waits for it, so return quickly.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
@FunctionalInterface
public interface LeaseListener {

	/**
	 * The lease is gone (revoked, expired, or not renewed before its time to live ran
	 * out): every key on it is deleted, every lock and leadership on it is lost. Nothing
	 * follows.
	 * @param leaseId the lease
	 * @param reason why it is considered lost
	 * @param cause the last failure, if a failure caused it
	 */
	void leaseLost(long leaseId, String reason, @Nullable EtcdException cause);

	/**
	 * One renewal failed; the keep-alive retries until the lease expires.
	 * @param leaseId the lease
	 * @param failure what went wrong
	 */
	default void keepAliveFailed(long leaseId, EtcdException failure) {
	}

}
