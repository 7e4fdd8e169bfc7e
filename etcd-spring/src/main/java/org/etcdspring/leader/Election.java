package org.etcdspring.leader;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.core.Compare;
import org.etcdspring.core.Deadline;
import org.etcdspring.core.Durations;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.KeyValueOperations;
import org.etcdspring.core.PrintableKey;
import org.etcdspring.core.ReadConsistency;
import org.etcdspring.core.TxnOp;
import org.etcdspring.core.TxnResult;
import org.etcdspring.lease.EtcdSession;
import org.etcdspring.lease.Lease;
import org.etcdspring.lease.LeaseListener;
import org.etcdspring.lease.LeaseOperations;
import org.etcdspring.watch.Subscription;
import org.etcdspring.watch.WatchEvent;
import org.etcdspring.watch.WatchListener;
import org.etcdspring.watch.WatchOperations;
import org.etcdspring.watch.WatchRequest;

import org.springframework.util.Assert;

/**
 * An election for one role, with the key layout of etcd's {@code concurrency.Election}.
 * Each participant puts the key {@code <prefix><role>/<lease id in hex>}, holding its
 * proposal, on the lease of its {@link EtcdSession session}; the participant whose key
 * was created first leads. So {@code etcdctl elect -l <prefix><role>} shows the leader
 * elected here, and a leader elected by {@code etcdctl elect <prefix><role>} is the
 * leader here too.
 *
 * <pre class="code">
 * Optional&lt;Leadership&gt; leadership = etcd.election("billing").campaign("node-1", Duration.ofSeconds(30));
 * if (leadership.isPresent()) {
 *     try (Leadership held = leadership.get()) {
 *         while (held.isLeader()) { ... }
 *     }
 * }
 * </pre>
 *
 * Waiting participants watch the deletion of the key created just before theirs, as
 * etcd's own client does, so a change of leader wakes one participant, not all. Obtained
 * from {@link org.etcdspring.EtcdOperations#election(String)}; thread-safe.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class Election {

	/**
	 * The key prefix of elections unless configured otherwise.
	 */
	public static final String DEFAULT_PREFIX = "etcd-spring/leader/";

	/**
	 * The time to live of a campaign's session unless configured otherwise: how long a
	 * leader that died without resigning keeps the role.
	 */
	public static final Duration DEFAULT_SESSION_TTL = Duration.ofSeconds(10);

	private static final Log logger = LogFactory.getLog(Election.class);

	// EtcdLeases reports every loss itself; a campaign listens to its session on its own.
	private static final LeaseListener NO_LISTENER = (leaseId, reason, cause) -> {
	};

	private static final Runnable NOTHING = () -> {
	};

	private final KeyValueOperations etcd;

	private final LeaseOperations leases;

	private final WatchOperations watches;

	private final String role;

	private final String keyPrefix;

	private final Duration sessionTtl;

	/**
	 * Create the election of a role.
	 * @param etcd the etcd operations; its reads are made linearizable here, as an
	 * election must never act on a stale view
	 * @param leases the leases that campaigns are held on
	 * @param watches the watches that followers and observers learn of changes through
	 * @param prefix the key prefix of elections, such as {@value #DEFAULT_PREFIX}
	 * @param role the role; must not contain {@code '/'}
	 * @param sessionTtl the time to live of the session a campaign without one of its own
	 * opens
	 */
	public Election(KeyValueOperations etcd, LeaseOperations leases, WatchOperations watches, String prefix,
			String role, Duration sessionTtl) {
		Assert.notNull(etcd, "'etcd' must not be null");
		Assert.notNull(leases, "'leases' must not be null");
		Assert.notNull(watches, "'watches' must not be null");
		Assert.notNull(prefix, "'prefix' must not be null");
		checkRole(role);
		Durations.requirePositive(sessionTtl, "session TTL");
		this.etcd = etcd.withConsistency(ReadConsistency.LINEARIZABLE);
		this.leases = leases;
		this.watches = watches;
		this.role = role;
		this.keyPrefix = prefix + role + "/";
		this.sessionTtl = sessionTtl;
	}

	/**
	 * Reject a role that is empty or contains {@code '/'}: the participants of a role
	 * {@code a} are the keys under {@code a/}, which would include those of a role
	 * {@code a/b}.
	 * @param role the role
	 */
	public static void checkRole(String role) {
		Assert.isTrue(role != null && !role.isEmpty(), "etcd election role must not be null or empty");
		Assert.isTrue(role.indexOf('/') < 0, () -> "etcd election role '" + role
				+ "' must not contain '/': an election of role 'a' would count the participants of role 'a/b' as its own");
	}

	/**
	 * The role elected.
	 * @return the role
	 */
	public String role() {
		return this.role;
	}

	/**
	 * The prefix of every participant's key, {@code <prefix><role>/}.
	 * @return the key prefix
	 */
	public String keyPrefix() {
		return this.keyPrefix;
	}

	/**
	 * Campaign on a session of its own, opened now with the election's session TTL, until
	 * leading or the timeout passes. The returned leadership owns the session: resigning
	 * revokes its lease.
	 * @param value the proposal, shown to everyone as the leader's value
	 * @param timeout how long to wait for the role
	 * @return the leadership, or empty when the timeout passed first (the candidacy is
	 * withdrawn)
	 * @throws InterruptedException when interrupted while waiting (the candidacy is
	 * withdrawn)
	 */
	public Optional<Leadership> campaign(String value, Duration timeout) throws InterruptedException {
		checkValue(value);
		checkTimeout(timeout);
		Deadline deadline = Deadline.after(timeout);
		EtcdSession session = EtcdSession.open(this.leases, this.sessionTtl, NO_LISTENER);
		return Optional.ofNullable(campaign(session, true, value, deadline, NOTHING));
	}

	/**
	 * Campaign on the given session until leading or the timeout passes. A session takes
	 * part in an election with one key: campaigning again on the same session continues
	 * that candidacy (with the new value). Resigning deletes the key and leaves the
	 * session open.
	 * @param session the session, shared with other campaigns if wanted
	 * @param value the proposal
	 * @param timeout how long to wait for the role
	 * @return the leadership, or empty when the timeout passed first (the candidacy is
	 * withdrawn)
	 * @throws InterruptedException when interrupted while waiting (the candidacy is
	 * withdrawn)
	 */
	public Optional<Leadership> campaign(EtcdSession session, String value, Duration timeout)
			throws InterruptedException {
		Assert.notNull(session, "'session' must not be null");
		checkValue(value);
		checkTimeout(timeout);
		return Optional.ofNullable(campaign(session, false, value, Deadline.after(timeout), NOTHING));
	}

	/**
	 * Campaign until leading, the deadline passes or the thread is interrupted. Unless
	 * leading, the candidacy is withdrawn on the way out.
	 * @param whenWaiting run once when another participant is found to lead
	 * @return the leadership, or {@code null} when the deadline passed
	 */
	@Nullable Leadership campaign(EtcdSession session, boolean ownsSession, String value, Deadline deadline, Runnable whenWaiting)
			throws InterruptedException {
		String key = this.keyPrefix + session.lease().hexId();
		long revision = 0;
		try {
			revision = enter(key, value, session.leaseId());
			long leadingSince = awaitTurn(key, revision, session, deadline, whenWaiting);
			if (leadingSince > 0) {
				Leadership leadership = new Leadership(this, session, ownsSession, key, revision, value);
				leadership.watchFrom(leadingSince + 1);
				return leadership;
			}
		}
		catch (RuntimeException | InterruptedException ex) {
			try {
				withdraw(session, ownsSession, key, revision);
			}
			catch (RuntimeException failure) {
				ex.addSuppressed(failure);
			}
			if (ex instanceof EtcdException && Thread.interrupted()) {
				// Interrupted during a call rather than a wait: tell it the same way.
				InterruptedException interrupted = new InterruptedException(
						"Interrupted while campaigning for role '" + PrintableKey.of(this.role) + "'");
				interrupted.initCause(ex);
				throw interrupted;
			}
			throw ex;
		}
		// The deadline passed.
		withdraw(session, ownsSession, key, revision);
		return null;
	}

	/**
	 * Put this participant's key, or take up the one its session has put before.
	 * @return the create revision of the key: the participant's place in the queue
	 */
	private long enter(String key, String value, long leaseId) {
		TxnResult result = this.etcd.txn()
			// The session has no key in this election yet...
			.when(Compare.createRevision(key).isEqualTo(0L))
			// ...so it joins the queue with one, on its lease...
			.then(TxnOp.put(key, value, leaseId))
			// ...or it keeps the place its key already has.
			.otherwise(TxnOp.get(key))
			.commit();
		if (result.succeeded()) {
			return result.revision();
		}
		KeyValue existing = result.kvs(0).get(0);
		if (!existing.valueAsString().equals(value) && !proclaim(key, existing.createRevision(), value, leaseId)) {
			throw new EtcdNotLeaderException(this.role, "etcd election of role '" + PrintableKey.of(this.role)
					+ "': key '" + PrintableKey.of(key) + "' vanished while campaigning", key);
		}
		return existing.createRevision();
	}

	/**
	 * Wait until no key of the election was created before ours, watching the deletion of
	 * the one created just before it (etcd's {@code waitDeletes}).
	 * @return the revision at which this participant was seen to lead, or {@code 0} when
	 * the deadline passed first
	 */
	private long awaitTurn(String key, long revision, EtcdSession session, Deadline deadline, Runnable whenWaiting)
			throws InterruptedException {
		boolean waiting = false;
		while (true) {
			TxnResult result = this.etcd.txn()
				// Our key is still the one we created (its lease lives, nobody deleted
				// it)...
				.when(Compare.createRevision(key).isEqualTo(revision))
				// ...and the leader is the first created: which key was created just
				// before ours?
				.then(TxnOp.getLastCreated(this.keyPrefix, revision - 1))
				.commit();
			if (!result.succeeded()) {
				throw new EtcdNotLeaderException(
						this.role, "etcd election of role '" + PrintableKey.of(this.role) + "': key '"
								+ PrintableKey.of(key) + "' was deleted (or its lease lost) while waiting to lead",
						key);
			}
			List<KeyValue> older = result.kvs(0);
			if (older.isEmpty()) {
				return result.revision();
			}
			if (!waiting) {
				waiting = true;
				whenWaiting.run();
			}
			if (!awaitDeletion(older.get(0).key(), result.revision() + 1, session, deadline)) {
				return 0;
			}
		}
	}

	/**
	 * Wait until a key is deleted after a revision, the session is lost, or the deadline
	 * passes.
	 * @return {@code false} when the deadline passed
	 */
	private boolean awaitDeletion(String key, long fromRevision, EtcdSession session, Deadline deadline)
			throws InterruptedException {
		CompletableFuture<Void> deleted = new CompletableFuture<>();
		LeaseListener sessionLost = (leaseId, reason, cause) -> deleted
			.completeExceptionally(new EtcdNotLeaderException(this.role, "etcd election of role '"
					+ PrintableKey.of(this.role) + "': the session was lost while waiting to lead: " + reason, null));
		session.addListener(sessionLost);
		WatchRequest deletion = WatchRequest.key(key).fromRevision(fromRevision).withoutPuts().requiringLeader();
		try (Subscription watch = this.watches.watch(deletion, new WatchListener() {

			@Override
			public void onEvent(WatchEvent event) {
				deleted.complete(null);
			}

			@Override
			public void onError(EtcdException error) {
				// The watch cannot go on: look at the queue again.
				deleted.complete(null);
			}

		})) {
			return deadline.await(deleted);
		}
		catch (ExecutionException ex) {
			throw (EtcdException) ex.getCause();
		}
		finally {
			session.removeListener(sessionLost);
		}
	}

	/**
	 * Replace the value of a participant's key.
	 * @return {@code false} when the key is not the one created at that revision any more
	 */
	boolean proclaim(String key, long revision, String value, long leaseId) {
		return this.etcd.txn()
			// Still the key created when the participant entered the election...
			.when(Compare.createRevision(key).isEqualTo(revision))
			// ...so it gets the new value in place, on the same lease, keeping its place.
			.then(TxnOp.put(key, value, leaseId))
			.commit()
			.succeeded();
	}

	/**
	 * Leave the election: revoke the session when the campaign owns it, otherwise delete
	 * the key. Runs even when the thread is interrupted. On a session that lives on
	 * (other roles use it) the key must not: a delete that fails is retried in the
	 * background while the session lives.
	 * @param revision the key's create revision, {@code 0} when unknown (entering failed
	 * with its outcome unknown: the key may or may not exist)
	 */
	void withdraw(EtcdSession session, boolean ownsSession, String key, long revision) {
		boolean interrupted = Thread.interrupted();
		try {
			if (ownsSession) {
				// Revoking the lease deletes the key with it.
				session.close();
				return;
			}
			Runnable delete = (revision > 0) ? () -> deleteCandidacy(key, revision)
					: new UnknownCandidacyDelete(key, session.leaseId());
			try {
				delete.run();
			}
			catch (EtcdException ex) {
				session.retryWhileAlive("Withdrawing key '" + PrintableKey.of(key) + "' from election '"
						+ PrintableKey.of(this.role) + "' failed (" + ex.getMessage() + ")", delete);
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void deleteCandidacy(String key, long revision) {
		this.etcd.txn()
			// Only the key this candidacy created, never a later one of the session...
			.when(Compare.createRevision(key).isEqualTo(revision))
			// ...is deleted, handing the role to the next in the queue.
			.then(TxnOp.delete(key))
			.commit();
	}

	/**
	 * The current leader: the participant whose key was created first.
	 * @return the leader, or empty when nobody takes part
	 */
	public Optional<Leader> leader() {
		List<KeyValue> first = this.etcd.txn().then(TxnOp.getFirstCreated(this.keyPrefix)).commit().kvs(0);
		return first.isEmpty() ? Optional.empty() : Optional.of(Leader.of(first.get(0)));
	}

	/**
	 * Observe the leader: the listener is told the current leader (or that there is none)
	 * at once, then every change, serially. Runs until closed.
	 * @param listener told of each change
	 * @return the observation, to close it
	 */
	public Subscription observe(LeaderListener listener) {
		Assert.notNull(listener, "'listener' must not be null");
		LeaderObserver observer = new LeaderObserver(this.etcd, this.watches, this.keyPrefix, listener);
		observer.start();
		return observer;
	}

	/**
	 * Take the role without waiting when nobody takes part in the election, or renew it
	 * when it is held with this value: the simple call of python-etcd-client's
	 * {@code leader.set_or_renew}. The key is put on a lease of its own with the given
	 * time to live; renewing restores that time to live (a different TTL moves the key to
	 * a new lease, keeping its place).
	 * @param value the value that holds the role
	 * @param ttl how long the role stays taken without being renewed
	 * @return whether the role is held with this value now
	 */
	public boolean trySetOrRenew(String value, Duration ttl) {
		checkValue(value);
		checkTtl(ttl);
		Optional<Leader> current = leader();
		if (current.isPresent()) {
			return current.get().value().equals(value) && renew(current.get(), ttl);
		}
		Lease lease = this.leases.grant(ttl);
		String key = this.keyPrefix + lease.hexId();
		TxnResult result = this.etcd.txn()
			// Nobody takes part in the election (an empty range holds for create revision
			// 0)...
			.when(Compare.createRevision(this.keyPrefix).throughPrefix(this.keyPrefix).isEqualTo(0L))
			// ...so our key is the first, and leads at once...
			.then(TxnOp.put(key, value, lease.id()))
			// ...otherwise someone got there first: who leads now?
			.otherwise(TxnOp.getFirstCreated(this.keyPrefix))
			.commit();
		if (result.succeeded()) {
			return true;
		}
		revokeQuietly(lease.id());
		List<KeyValue> first = result.kvs(0);
		return !first.isEmpty() && first.get(0).valueAsString().equals(value) && renew(Leader.of(first.get(0)), ttl);
	}

	private boolean renew(Leader leader, Duration ttl) {
		if (leader.lease() != 0) {
			Optional<Duration> restored = this.leases.keepAliveOnce(leader.lease());
			if (restored.isEmpty()) {
				// The lease expired just now, and the key with it.
				return false;
			}
			if (restored.get().equals(Duration.ofSeconds((ttl.toMillis() + 999) / 1000))) {
				return true;
			}
		}
		Lease lease = this.leases.grant(ttl);
		boolean moved = this.etcd.txn()
			// Still the same leader holding the same value...
			.when(Compare.createRevision(leader.key()).isEqualTo(leader.revision()),
					Compare.value(leader.key()).isEqualTo(leader.value()))
			// ...moves to a lease of the new TTL; its create revision, so its place,
			// stays.
			.then(TxnOp.setLease(leader.key(), lease.id()))
			.commit()
			.succeeded();
		if (!moved) {
			revokeQuietly(lease.id());
		}
		else if (leader.lease() != 0) {
			this.leases.timeToLive(leader.lease(), true)
				.filter((status) -> status.keys().isEmpty())
				.ifPresent((status) -> revokeQuietly(leader.lease()));
		}
		return moved;
	}

	/**
	 * Give the role up when it is held with this value: python-etcd-client's
	 * {@code leader.delete}. The next participant in the queue, if any, leads.
	 * @param value the value the role must be held with
	 * @return whether the role was held with this value and is given up
	 */
	public boolean delete(String value) {
		checkValue(value);
		Optional<Leader> current = leader();
		if (current.isEmpty() || !current.get().value().equals(value)) {
			return false;
		}
		Leader leader = current.get();
		return this.etcd.txn()
			// Still the same leader holding the same value...
			.when(Compare.createRevision(leader.key()).isEqualTo(leader.revision()),
					Compare.value(leader.key()).isEqualTo(value))
			// ...gives the role up.
			.then(TxnOp.delete(leader.key()))
			.commit()
			.succeeded();
	}

	KeyValueOperations etcd() {
		return this.etcd;
	}

	WatchOperations watches() {
		return this.watches;
	}

	private void revokeQuietly(long leaseId) {
		try {
			this.leases.revoke(leaseId);
		}
		catch (EtcdException ex) {
			logger.debug("Revoking etcd lease " + Long.toHexString(leaseId) + " failed; it expires on its own", ex);
		}
	}

	static void checkValue(String value) {
		Assert.notNull(value, "election value must not be null");
	}

	private static void checkTimeout(Duration timeout) {
		Assert.isTrue(timeout != null && !timeout.isNegative(), () -> "timeout must not be negative, was " + timeout);
	}

	private static void checkTtl(Duration ttl) {
		Durations.requirePositive(ttl, "TTL");
	}

	@Override
	public String toString() {
		return "Election[" + PrintableKey.of(this.keyPrefix) + "]";
	}

	/**
	 * Deletes the key of a candidacy whose create revision is unknown: the first read
	 * that etcd answers fixes it, so that the retries delete that key, never one created
	 * after it.
	 */
	private final class UnknownCandidacyDelete implements Runnable {

		private static final long NOT_READ = -1;

		private static final long ABSENT = 0;

		private final String key;

		private final long leaseId;

		private final AtomicLong createRevision = new AtomicLong(NOT_READ);

		UnknownCandidacyDelete(String key, long leaseId) {
			this.key = key;
			this.leaseId = leaseId;
		}

		@Override
		public void run() {
			long revision = this.createRevision.get();
			if (revision == NOT_READ) {
				List<KeyValue> kvs = Election.this.etcd.txn().then(TxnOp.get(this.key)).commit().kvs(0);
				// Only a key on the session's lease is the candidacy's.
				revision = (kvs.isEmpty() || kvs.get(0).lease() != this.leaseId) ? ABSENT : kvs.get(0).createRevision();
				this.createRevision.compareAndSet(NOT_READ, revision);
				revision = this.createRevision.get();
			}
			if (revision != ABSENT) {
				deleteCandidacy(this.key, revision);
			}
		}

	}

}
