package org.etcdspring.lock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

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

	private final AtomicReference<@Nullable EtcdSession> shared = new AtomicReference<>();

	/**
	 * Held while the shared session is opened, a network call; never taken by the
	 * keep-alive's loss callbacks, which only {@link #discard(long) discard}.
	 */
	private final Object opening = new Object();

	private volatile boolean closed;

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
	EtcdSession shared() {
		EtcdSession session = this.shared.get();
		if (session != null && session.isAlive()) {
			return session;
		}
		synchronized (this.opening) {
			Assert.state(!this.closed, "The etcd locks have been closed");
			session = this.shared.get();
			if (session == null || !session.isAlive()) {
				session = EtcdSession.open(this.leases, this.ttl, this.listener);
				this.shared.set(session);
				if (this.closed) {
					// Closed while the lease was granted: close() did not see this
					// session.
					closeShared();
					throw new IllegalStateException("The etcd locks have been closed");
				}
			}
			return session;
		}
	}

	/**
	 * Open a session of its own for one hold; the hold closes it.
	 * @param ttl the time to live
	 * @return the new session
	 */
	EtcdSession open(Duration ttl) {
		Assert.state(!this.closed, "The etcd locks have been closed");
		return EtcdSession.open(this.leases, ttl, this.listener);
	}

	/**
	 * Retry a failed release of a key in the background while the shared session with the
	 * given lease lives, so that the key is not kept alive with it. Nothing to do for a
	 * hold's own session: closing it stops its renewal, and its keys expire with it.
	 * @param leaseId the lease the key is on
	 * @param description what the release does, for the log
	 * @param release the release, safe to repeat
	 * @return whether a retry was scheduled
	 */
	boolean retryOnShared(long leaseId, String description, Runnable release) {
		EtcdSession session = this.shared.get();
		if (session != null && session.leaseId() == leaseId) {
			session.retryWhileAlive(description, release);
			return true;
		}
		return false;
	}

	/**
	 * Stop using the shared session if its lease is the given one, which etcd no longer
	 * has; the next hold opens a new session.
	 * @param leaseId the lost lease
	 */
	void discard(long leaseId) {
		EtcdSession session = this.shared.get();
		if (session != null && session.leaseId() == leaseId && this.shared.compareAndSet(session, null)) {
			session.orphan();
		}
	}

	/**
	 * Close the shared session, revoking its lease and so deleting its keys.
	 */
	@Override
	public void close() {
		this.closed = true;
		closeShared();
	}

	private void closeShared() {
		EtcdSession session = this.shared.getAndSet(null);
		if (session != null) {
			session.close();
		}
	}

}
