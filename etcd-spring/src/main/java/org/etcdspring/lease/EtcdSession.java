package org.etcdspring.lease;

import java.time.Duration;

import org.etcdspring.core.EtcdException;

import org.springframework.util.Assert;

/**
 * A lease kept alive for as long as the session is open: the liveness that locks and
 * elections hang their keys on, like {@code concurrency.Session} of etcd's Go client.
 * When the lease cannot be renewed before it expires, the session is lost and its
 * listeners are told; closing the session revokes the lease, deleting every key on it.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdSession implements AutoCloseable {

	/**
	 * How long closing a session tries to revoke its lease, over every endpoint: with
	 * etcd reachable a revoke takes milliseconds; without, shutdown must not wait.
	 */
	public static final Duration REVOKE_TIMEOUT = Duration.ofSeconds(1);

	private final LeaseOperations leases;

	private final LeaseKeepAlive keepAlive;

	private EtcdSession(LeaseOperations leases, LeaseKeepAlive keepAlive) {
		this.leases = leases;
		this.keepAlive = keepAlive;
	}

	/**
	 * Grant a lease and keep it alive.
	 * @param leases the lease operations
	 * @param ttl the lease's time to live; a lost client's keys vanish after it
	 * @param listener told of renewal failures and of the loss of the session
	 * @return the open session
	 */
	public static EtcdSession open(LeaseOperations leases, Duration ttl, LeaseListener listener) {
		Assert.notNull(leases, "'leases' must not be null");
		Lease lease = leases.grant(ttl);
		try {
			return new EtcdSession(leases, leases.keepAlive(lease, listener));
		}
		catch (RuntimeException ex) {
			leases.revoke(lease.id());
			throw ex;
		}
	}

	/**
	 * The session's lease.
	 * @return the lease
	 */
	public Lease lease() {
		return this.keepAlive.lease();
	}

	/**
	 * The session's lease ID.
	 * @return the lease ID
	 */
	public long leaseId() {
		return this.keepAlive.lease().id();
	}

	/**
	 * Whether the session's lease is still kept alive and its local deadline has not
	 * passed; answered with no I/O.
	 * @return {@code false} once lost, closed, or past {@link #aliveUntilNanos()}
	 */
	public boolean isAlive() {
		return this.keepAlive.isAlive();
	}

	/**
	 * The latest {@link System#nanoTime()} at which the session's lease can still be
	 * alive on the server.
	 * @return the lease's local deadline
	 * @see LeaseKeepAlive#aliveUntilNanos()
	 */
	public long aliveUntilNanos() {
		return this.keepAlive.aliveUntilNanos();
	}

	/**
	 * Add a listener for renewal failures and the loss of the session.
	 * @param listener the listener; told at once if the session is already lost
	 */
	public void addListener(LeaseListener listener) {
		this.keepAlive.addListener(listener);
	}

	/**
	 * Remove a listener added before.
	 * @param listener the listener
	 */
	public void removeListener(LeaseListener listener) {
		this.keepAlive.removeListener(listener);
	}

	/**
	 * Retry a failed clean-up of a key on this session in the background until it
	 * succeeds or the session's lease is gone.
	 * @param description what the action does, for the log
	 * @param action the clean-up, safe to repeat
	 * @see LeaseKeepAlive#retryWhileAlive(String, Runnable)
	 */
	public void retryWhileAlive(String description, Runnable action) {
		this.keepAlive.retryWhileAlive(description, action);
	}

	/**
	 * Stop renewing the lease without revoking it: its keys stay until it expires.
	 */
	public void orphan() {
		this.keepAlive.close();
	}

	/**
	 * Stop renewing and revoke the lease, deleting every key on it: one short attempt of
	 * at most {@link #REVOKE_TIMEOUT}, since a lease no longer renewed expires anyway.
	 */
	@Override
	public void close() {
		close(REVOKE_TIMEOUT);
	}

	/**
	 * Stop renewing and revoke the lease with one attempt of at most the given time, none
	 * when it is zero: closing many sessions at once (on shutdown) shares one short
	 * budget, since a lease no longer renewed expires anyway.
	 * @param revokeTimeout the time the revocation may take, over every endpoint
	 */
	public void close(Duration revokeTimeout) {
		this.keepAlive.close();
		if (revokeTimeout.isNegative() || revokeTimeout.isZero()) {
			return;
		}
		try {
			this.leases.revoke(leaseId(), revokeTimeout);
		}
		catch (EtcdException ex) {
			// Unreachable now: the lease expires after its TTL all the same.
		}
	}

	@Override
	public String toString() {
		return "EtcdSession[lease=" + lease().hexId() + ", ttl=" + lease().ttl() + ", alive=" + isAlive() + "]";
	}

}
