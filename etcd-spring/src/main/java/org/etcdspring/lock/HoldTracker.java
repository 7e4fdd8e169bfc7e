package org.etcdspring.lock;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.core.Deadline;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdThreads;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.KeyValueOperations;
import org.etcdspring.core.PrintableKey;
import org.etcdspring.core.TxnOp;
import org.etcdspring.core.TxnResult;
import org.etcdspring.lease.EtcdSession;
import org.etcdspring.watch.Subscription;
import org.etcdspring.watch.WatchEvent;
import org.etcdspring.watch.WatchListener;
import org.etcdspring.watch.WatchOperations;
import org.etcdspring.watch.WatchRequest;

import org.springframework.context.ApplicationEventPublisher;

/**
 * The live holds of one {@link EtcdLocks}: watches each owner key so that its deletion is
 * noticed at once, marks holds lost when their key or lease goes, and announces every
 * loss: logged, counted, and on a notification thread of its own published as an
 * {@link EtcdLockLostEvent} and told to the {@link LockListener}s.
 *
 * @author etcd-spring
 */
final class HoldTracker {

	private static final Log logger = LogFactory.getLog(EtcdLocks.class);

	private final KeyValueOperations etcd;

	private final WatchOperations watches;

	private final String prefix;

	private final Set<Hold> holds = ConcurrentHashMap.newKeySet();

	private final List<LockListener> listeners = new CopyOnWriteArrayList<>();

	private final AtomicLong lostLocks = new AtomicLong();

	private volatile @Nullable ApplicationEventPublisher eventPublisher;

	private @Nullable ExecutorService notifier;

	private boolean closed;

	private @Nullable Subscription sharedWatch;

	private long sharedWatchFrom;

	HoldTracker(KeyValueOperations etcd, WatchOperations watches, String prefix) {
		this.etcd = etcd;
		this.watches = watches;
		this.prefix = prefix;
	}

	void setEventPublisher(@Nullable ApplicationEventPublisher eventPublisher) {
		this.eventPublisher = eventPublisher;
	}

	void addListener(LockListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Start tracking a new hold.
	 * @param hold the hold
	 * @param revision the revision the hold was seen at
	 * @return the hold
	 */
	Hold track(Hold hold, long revision) {
		this.holds.add(hold);
		if (this.prefix.isEmpty()) {
			watchOwnerKey(hold, revision + 1);
		}
		else if (watchPrefix(revision + 1) > revision + 1) {
			// The shared watch began after this hold was taken: its key must still be
			// there.
			checkOwnerKeyQuietly(hold);
		}
		if (!hold.session().isAlive()) {
			lost(hold, "its session lease was lost while the lock was being taken", null);
		}
		return hold;
	}

	/**
	 * Stop tracking a hold that is being released.
	 * @param hold the hold
	 */
	void untrack(Hold hold) {
		this.holds.remove(hold);
	}

	/**
	 * One watch on the deletions under the locks' prefix serves every hold: opening a
	 * stream per hold would cost a request and a server-side watch for every lock taken.
	 * @return the revision the running watch started from
	 */
	private synchronized long watchPrefix(long fromRevision) {
		if (this.sharedWatch == null || !this.sharedWatch.isActive()) {
			WatchRequest request = WatchRequest.prefix(this.prefix)
				.fromRevision(fromRevision)
				.withoutPuts()
				.requiringLeader();
			this.sharedWatch = this.watches.watch(request, new WatchListener() {

				@Override
				public void onEvent(WatchEvent event) {
					for (Hold hold : HoldTracker.this.holds) {
						// A session reuses its key name: a deletion older than the hold's
						// key
						// removed an earlier hold's key, which may reach the watch late.
						if (hold.key().equals(event.key()) && event.revision() > hold.fencingToken()) {
							lost(hold, "its key was deleted at revision " + event.revision()
									+ " (by a delete, or because its lease ended)", null);
						}
					}
				}

				@Override
				public void onError(EtcdException error) {
					logger.warn("The watch of the lock keys under '" + PrintableKey.of(HoldTracker.this.prefix)
							+ "' ended (" + error.getMessage() + "): checking every held lock and watching again");
					HoldTracker.this.holds.forEach(HoldTracker.this::checkOwnerKeyQuietly);
				}

			});
			this.sharedWatchFrom = fromRevision;
		}
		return this.sharedWatchFrom;
	}

	private void watchOwnerKey(Hold hold, long fromRevision) {
		WatchRequest request = WatchRequest.key(hold.key()).fromRevision(fromRevision).withoutPuts().requiringLeader();
		hold.watchOwnerKey(this.watches.watch(request, new WatchListener() {

			@Override
			public void onEvent(WatchEvent event) {
				lost(hold, "its key was deleted at revision " + event.revision()
						+ " (by a delete, or because its lease ended)", null);
			}

			@Override
			public void onError(EtcdException error) {
				checkOwnerKey(hold, error);
			}

		}));
	}

	/**
	 * The watch of an owner key ended on an error (say, its start revision was
	 * compacted): read the key, and watch again from there.
	 */
	private void checkOwnerKey(Hold hold, EtcdException watchError) {
		try {
			long revision = checkOwnerKey(hold);
			if (hold.isHeld()) {
				watchOwnerKey(hold, revision + 1);
			}
		}
		catch (EtcdException ex) {
			logger.warn("Cannot watch the key of " + hold + " after its watch failed (" + watchError.getMessage()
					+ "): a deletion of the key is noticed only when the lock is unlocked", ex);
		}
	}

	private void checkOwnerKeyQuietly(Hold hold) {
		try {
			checkOwnerKey(hold);
		}
		catch (EtcdException ex) {
			logger.warn("Cannot check the key of " + hold + " (" + ex.getMessage()
					+ "): a deletion of the key is noticed only when the lock is unlocked");
		}
	}

	/**
	 * Read a hold's key: the hold is lost when it is gone; with a shared watch, watch
	 * again from the revision read.
	 * @return the revision of the read
	 */
	private long checkOwnerKey(Hold hold) {
		TxnResult read = this.etcd.txn().then(TxnOp.get(hold.key())).commit();
		List<KeyValue> kvs = read.kvs(0);
		if (kvs.isEmpty() || kvs.get(0).createRevision() != hold.fencingToken()) {
			lost(hold, "its key was deleted", null);
		}
		else if (!this.prefix.isEmpty()) {
			watchPrefix(read.revision() + 1);
		}
		return read.revision();
	}

	/**
	 * Every hold on a lease that is gone is lost.
	 * @param leaseId the lease
	 * @param reason why it is gone
	 * @param cause the failure that made it go, if any
	 */
	void leaseGone(long leaseId, String reason, @Nullable EtcdException cause) {
		for (Hold hold : this.holds) {
			if (hold.session().leaseId() == leaseId) {
				lost(hold, reason, cause);
			}
		}
	}

	/**
	 * Mark a hold lost and announce it, unless it ended already.
	 */
	void lost(Hold hold, String reason, @Nullable EtcdException cause) {
		if (hold.markLost(reason)) {
			this.holds.remove(hold);
			announce(hold, reason, cause);
			hold.runLossActions();
		}
	}

	/**
	 * Announce a loss found only when the hold was released.
	 */
	void lostAtRelease(Hold hold, String reason) {
		hold.markLostAtRelease(reason);
		announce(hold, reason, null);
	}

	private void announce(Hold hold, String reason, @Nullable EtcdException cause) {
		this.lostLocks.incrementAndGet();
		logger.warn("etcd " + hold + " is lost: " + reason);
		EtcdLockLostEvent event = new EtcdLockLostEvent(hold.mutex(), hold.key(), hold.fencingToken(), reason, cause);
		ExecutorService notifier = notifier();
		if (notifier != null) {
			notifier.execute(() -> notifyListeners(event));
		}
	}

	private void notifyListeners(EtcdLockLostEvent event) {
		ApplicationEventPublisher publisher = this.eventPublisher;
		if (publisher != null) {
			try {
				publisher.publishEvent(event);
			}
			catch (RuntimeException ex) {
				logger.error("Publishing " + event + " failed", ex);
			}
		}
		for (LockListener listener : this.listeners) {
			try {
				listener.lockLost(event);
			}
			catch (RuntimeException ex) {
				logger.error("Lock listener " + listener + " failed on " + event, ex);
			}
		}
	}

	private synchronized @Nullable ExecutorService notifier() {
		if (this.notifier == null && !this.closed) {
			this.notifier = EtcdThreads.platform().serial("etcd-lock-events").getThreadPoolExecutor();
		}
		return this.notifier;
	}

	List<HeldLock> heldLocks() {
		return this.holds.stream()
			.filter(Hold::isHeld)
			.map(Hold::toHeldLock)
			.sorted(Comparator.comparing(HeldLock::since))
			.toList();
	}

	long lostLockCount() {
		return this.lostLocks.get();
	}

	/**
	 * End every hold (their holders learn it when they unlock) and stop the notification
	 * thread. The holds' own sessions share one {@link EtcdSession#REVOKE_TIMEOUT} to
	 * revoke their leases: with etcd unreachable, closing does not take a second per
	 * hold.
	 */
	void close() {
		ExecutorService notifier;
		synchronized (this) {
			this.closed = true;
			notifier = this.notifier;
			this.notifier = null;
			if (this.sharedWatch != null) {
				this.sharedWatch.close();
				this.sharedWatch = null;
			}
		}
		Deadline revokes = Deadline.after(EtcdSession.REVOKE_TIMEOUT);
		for (Hold hold : this.holds) {
			if (hold.markLost("the etcd locks were closed")) {
				hold.runLossActions();
			}
			if (hold.hasOwnSession()) {
				hold.session().close(Duration.ofNanos(revokes.remainingNanos()));
			}
		}
		this.holds.clear();
		if (notifier != null) {
			notifier.shutdown();
		}
	}

}
