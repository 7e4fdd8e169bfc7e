package org.etcdspring.leader;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.Durations;
import org.etcdspring.core.PrintableKey;
import org.etcdspring.lease.EtcdSession;
import org.etcdspring.lease.LeaseListener;
import org.etcdspring.lease.LeaseOperations;

import org.springframework.util.Assert;

/**
 * The session on which one participant campaigns for all its roles: one lease, kept
 * alive, opened when first needed and replaced once lost. Sharing it, a participant of
 * several elections renews a single lease, and the loss of that lease ends all its
 * leaderships at once. Closing it revokes the lease, which removes every key the
 * participant has in any election.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class ParticipantSession implements AutoCloseable {

	// EtcdLeases reports every loss itself; each campaign listens to the session on its
	// own.
	private static final LeaseListener NO_LISTENER = (leaseId, reason, cause) -> {
	};

	private final LeaseOperations leases;

	private final Duration ttl;

	private final Set<String> roles = new HashSet<>();

	private final AtomicReference<@Nullable EtcdSession> session = new AtomicReference<>();

	/**
	 * Held while a session is opened, a network call; nothing else waits for it.
	 */
	private final Object opening = new Object();

	private volatile boolean closed;

	/**
	 * Create a participant's session; no lease is granted yet.
	 * @param leases the lease operations
	 * @param ttl the lease's time to live: how long a participant that died keeps its
	 * roles
	 */
	public ParticipantSession(LeaseOperations leases, Duration ttl) {
		Assert.notNull(leases, "'leases' must not be null");
		this.leases = leases;
		this.ttl = Durations.requirePositive(ttl, "session TTL");
	}

	/**
	 * The live session, opening a new one when there is none yet or the last was lost.
	 * @return the session
	 * @throws IllegalStateException when this participant session was closed
	 */
	public EtcdSession current() {
		EtcdSession current = this.session.get();
		if (current != null && current.isAlive()) {
			return current;
		}
		synchronized (this.opening) {
			Assert.state(!this.closed, "The etcd participant session has been closed");
			current = this.session.get();
			if (current == null || !current.isAlive()) {
				current = EtcdSession.open(this.leases, this.ttl, NO_LISTENER);
				this.session.set(current);
				if (this.closed) {
					// Closed while the lease was granted: close() did not see this
					// session.
					closeCurrent();
					throw new IllegalStateException("The etcd participant session has been closed");
				}
			}
			return current;
		}
	}

	/**
	 * Stop using a session whose lease the server no longer has, though its keep-alive
	 * has not noticed yet: the next {@link #current()} opens a new one.
	 * @param lost the session found lost
	 */
	public void discard(EtcdSession lost) {
		if (this.session.compareAndSet(lost, null)) {
			lost.orphan();
		}
	}

	/**
	 * Reserve a role for one contender: on one session, two contenders for the same role
	 * would share one key and both believe they lead.
	 * @param role the role
	 * @throws IllegalStateException when another contender on this session has the role
	 */
	synchronized void claim(String role) {
		Assert.state(this.roles.add(role), () -> "Role '" + PrintableKey.of(role)
				+ "' already has a contender on this etcd participant session: give each role one contender");
	}

	synchronized void release(String role) {
		this.roles.remove(role);
	}

	/**
	 * Revoke the current lease, removing this participant from every election, and open
	 * no new one.
	 */
	@Override
	public void close() {
		this.closed = true;
		closeCurrent();
	}

	private void closeCurrent() {
		EtcdSession current = this.session.getAndSet(null);
		if (current != null) {
			current.close();
		}
	}

	@Override
	public String toString() {
		return "ParticipantSession[ttl=" + this.ttl + ", session=" + this.session.get() + "]";
	}

}
