package org.etcdspring.lock;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.etcdspring.lease.EtcdSession;
import org.etcdspring.lease.LeaseListener;
import org.etcdspring.lease.LeaseOperations;

import org.springframework.util.Assert;

/**
 * The sessions that lock keys live on: one shared session of the default time to live,
 * opened on first use and opened again once lost, and a session of its own for each hold
 * that asks for another time to live. Every session reports its loss to one listener.
 *
 * @author etcd-spring
 */
final class LockSessions implements AutoCloseable {

	private final LeaseOperations leases;

	private final LeaseListener listener;

	private volatile Duration ttl;

	private @Nullable EtcdSession shared;

	private boolean closed;

	LockSessions(LeaseOperations leases, Duration ttl, LeaseListener listener) {
		this.leases = leases;
		this.ttl = ttl;
		this.listener = listener;
	}

	Duration ttl() {
		return this.ttl;
	}

	void setTtl(Duration ttl) {
		this.ttl = ttl;
	}

	/**
	 * Whether holds of the given time to live go on the shared session.
	 * @param ttl the time to live asked for, {@code null} for the default
	 * @return whether the shared session serves it
	 */
	boolean isShared(@Nullable Duration ttl) {
		return ttl == null || ttl.equals(this.ttl);
	}

	/**
	 * The shared session, opened (again) when there is none alive.
	 * @return the shared session
	 */
	synchronized EtcdSession shared() {
		Assert.state(!this.closed, "The etcd locks have been closed");
		EtcdSession session = this.shared;
		if (session == null || !session.isAlive()) {
			session = EtcdSession.open(this.leases, this.ttl, this.listener);
			this.shared = session;
		}
		return session;
	}

	/**
	 * Open a session of its own for one hold; the hold closes it.
	 * @param ttl the time to live
	 * @return the new session
	 */
	EtcdSession open(Duration ttl) {
		synchronized (this) {
			Assert.state(!this.closed, "The etcd locks have been closed");
		}
		return EtcdSession.open(this.leases, ttl, this.listener);
	}

	/**
	 * Stop using the shared session if its lease is the given one, which etcd no longer
	 * has; the next hold opens a new session.
	 * @param leaseId the lost lease
	 */
	synchronized void discard(long leaseId) {
		EtcdSession session = this.shared;
		if (session != null && session.leaseId() == leaseId) {
			session.orphan();
			this.shared = null;
		}
	}

	/**
	 * Close the shared session, revoking its lease and so deleting its keys.
	 */
	@Override
	public void close() {
		EtcdSession session;
		synchronized (this) {
			this.closed = true;
			session = this.shared;
			this.shared = null;
		}
		if (session != null) {
			session.close();
		}
	}

}
