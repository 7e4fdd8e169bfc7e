package org.etcdspring.leader;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.core.EtcdException;
import org.etcdspring.core.FencedLock;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.PrintableKey;
import org.etcdspring.core.TxnOp;
import org.etcdspring.core.TxnResult;
import org.etcdspring.lease.EtcdSession;
import org.etcdspring.lease.LeaseListener;
import org.etcdspring.watch.Subscription;
import org.etcdspring.watch.WatchEvent;
import org.etcdspring.watch.WatchListener;
import org.etcdspring.watch.WatchRequest;

import org.springframework.util.Assert;

/**
 * The leadership of a role won by {@link Election#campaign campaigning}: held until
 * resigned or lost. It is lost, and its listeners told, as soon as its session's lease is
 * lost or its key is deleted; {@link #isLeader()} answers {@code false} from then on,
 * never later.
 *
 * <p>
 * {@code isLeader()} is local: it narrows the window in which a paused former leader
 * acts, but cannot close it (the process may pause right after asking). Writes that must
 * never come from a former leader are fenced on the server, like a lock's:
 * <pre class="code">
 * etcd.txn().ifHeld(leadership).then(TxnOp.put("jobs/last-run", now)).commit().succeeded();
 * </pre> The condition compares the leader key's create revision, so it fails once the
 * key is gone, whoever leads now.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class Leadership implements FencedLock, AutoCloseable {

	private static final Log logger = LogFactory.getLog(Leadership.class);

	private final Election election;

	private final EtcdSession session;

	private final boolean ownsSession;

	private final String key;

	private final long revision;

	private final AtomicBoolean leading = new AtomicBoolean(true);

	private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();

	private final LeaseListener sessionListener = (leaseId, reason,
			cause) -> lost("the lease of its session is lost: " + reason);

	private volatile String value;

	private volatile @Nullable String lossReason;

	private volatile @Nullable Subscription keyWatch;

	Leadership(Election election, EtcdSession session, boolean ownsSession, String key, long revision, String value) {
		this.election = election;
		this.session = session;
		this.ownsSession = ownsSession;
		this.key = key;
		this.revision = revision;
		this.value = value;
	}

	/**
	 * Start watching for the loss of the leadership: the deletion of the key after the
	 * revision at which it was seen to lead, and the loss of the session.
	 */
	void watchFrom(long revision) {
		this.session.addListener(this.sessionListener);
		watchKeyFrom(revision);
	}

	private void watchKeyFrom(long revision) {
		WatchRequest deletion = WatchRequest.key(this.key).fromRevision(revision).withoutPuts().requiringLeader();
		Subscription watch = this.election.watches().watch(deletion, new WatchListener() {

			@Override
			public void onEvent(WatchEvent event) {
				lost("its key was deleted at revision " + event.revision());
			}

			@Override
			public void onError(EtcdException error) {
				// The watch cannot go on (its start revision was compacted, say): that is
				// not
				// a loss. Read the key again and watch from there; the session's lease
				// bounds how long this may take.
				if (Leadership.this.leading.get()) {
					Leadership.this.session.retryWhileAlive(
							"Watching the key '" + PrintableKey.of(Leadership.this.key)
									+ "' of the leadership of role '" + PrintableKey.of(role())
									+ "' again after its watch ended (" + error.getMessage() + ")",
							Leadership.this::readKeyAndWatch);
				}
			}

		});
		this.keyWatch = watch;
		if (!this.leading.get()) {
			// Lost while the watch started: its loss found nothing to stop yet.
			stopWatching();
		}
	}

	/**
	 * Read the key: lost when it is gone or is another candidacy's, otherwise watched
	 * again from the revision read.
	 */
	private void readKeyAndWatch() {
		if (!this.leading.get()) {
			return;
		}
		TxnResult read = this.election.etcd().txn().then(TxnOp.get(this.key)).commit();
		List<KeyValue> kvs = read.kvs(0);
		if (kvs.isEmpty() || kvs.get(0).createRevision() != this.revision) {
			lost("its key was gone when read again after its watch ended");
			return;
		}
		watchKeyFrom(read.revision() + 1);
	}

	/**
	 * The role led.
	 * @return the role
	 */
	public String role() {
		return this.election.role();
	}

	/**
	 * The leader's key, {@code <prefix><role>/<lease id in hex>}.
	 * @return the key
	 */
	public String key() {
		return this.key;
	}

	/**
	 * The create revision of the leader's key: it grows with every new leader, so it can
	 * fence the writes of a former leader.
	 * @return the revision
	 */
	public long revision() {
		return this.revision;
	}

	/**
	 * The leader's key, for {@link org.etcdspring.core.Txn#ifHeld(FencedLock)}.
	 * @return the key
	 */
	@Override
	public String ownerKey() {
		return this.key;
	}

	/**
	 * The create revision of the leader's key, for
	 * {@link org.etcdspring.core.Txn#ifHeld(FencedLock)}.
	 * @return the revision
	 */
	@Override
	public long fencingToken() {
		return this.revision;
	}

	/**
	 * The value last proclaimed.
	 * @return the value
	 */
	public String value() {
		return this.value;
	}

	/**
	 * Whether this participant still leads: not resigned, not known to be lost, and its
	 * session's lease not past its local deadline (its time to live counted from the last
	 * successful renewal request). Answered with no I/O, so a process resumed after a
	 * pause longer than the time to live answers {@code false} at once. A write that must
	 * not happen after the leadership is lost is fenced with
	 * {@link org.etcdspring.core.Txn#ifHeld(FencedLock) txn().ifHeld(leadership)}.
	 * @return {@code false} once resigned, lost or past the lease's local deadline
	 */
	public boolean isLeader() {
		return this.leading.get() && this.session.isAlive();
	}

	/**
	 * Announce another value as the leader's, keeping the leadership.
	 * @param value the new value
	 * @throws EtcdNotLeaderException when the leadership was resigned or lost
	 */
	public void proclaim(String value) {
		Election.checkValue(value);
		if (!isLeader()) {
			throw notLeader();
		}
		if (!this.election.proclaim(this.key, this.revision, value, this.session.leaseId())) {
			lost("its key was deleted");
			throw notLeader();
		}
		this.value = value;
	}

	private EtcdNotLeaderException notLeader() {
		String reason = this.lossReason;
		return new EtcdNotLeaderException(role(), "Not the leader of role '" + PrintableKey.of(role()) + "' any more"
				+ ((reason != null) ? ": " + reason : " (resigned)"), this.key);
	}

	/**
	 * Give the role up: the key is deleted (or, when the campaign opened the session, the
	 * session's lease revoked), so the next participant in the queue leads. Does nothing
	 * when already resigned or lost.
	 */
	public void resign() {
		if (this.leading.compareAndSet(true, false)) {
			stopWatching();
			this.election.withdraw(this.session, this.ownsSession, this.key, this.revision);
		}
	}

	/**
	 * Same as {@link #resign()}.
	 */
	@Override
	public void close() {
		resign();
	}

	/**
	 * Add a listener told when the leadership is lost; told at once if it is lost
	 * already.
	 * @param listener the listener
	 */
	public void addListener(LeadershipListener listener) {
		Assert.notNull(listener, "'listener' must not be null");
		this.listeners.add(listener);
		String reason = this.lossReason;
		if (reason != null && this.listeners.remove(listener)) {
			listener.leadershipLost(this, reason);
		}
	}

	private void lost(String reason) {
		if (this.leading.compareAndSet(true, false)) {
			this.lossReason = reason;
			stopWatching();
			if (this.ownsSession) {
				// No I/O on this thread: the lease expires on its own.
				this.session.orphan();
			}
			logger.warn("Leadership of etcd election role '" + PrintableKey.of(role()) + "' (key '"
					+ PrintableKey.of(this.key) + "') lost: " + reason);
			for (LeadershipListener listener : this.listeners) {
				// Removing first: a listener being added right now is told exactly once.
				if (this.listeners.remove(listener)) {
					try {
						listener.leadershipLost(this, reason);
					}
					catch (RuntimeException ex) {
						logger.error("A listener of the leadership of role '" + PrintableKey.of(role()) + "' failed",
								ex);
					}
				}
			}
		}
	}

	private void stopWatching() {
		this.session.removeListener(this.sessionListener);
		Subscription watch = this.keyWatch;
		if (watch != null) {
			watch.close();
		}
	}

	@Override
	public String toString() {
		return "Leadership[role=" + PrintableKey.of(role()) + ", key=" + PrintableKey.of(this.key) + ", revision="
				+ this.revision + ", leader=" + isLeader() + "]";
	}

}
