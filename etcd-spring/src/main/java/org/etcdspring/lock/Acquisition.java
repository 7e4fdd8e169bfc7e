package org.etcdspring.lock;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.core.Deadline;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdLeaseNotFoundException;
import org.etcdspring.core.PrintableKey;
import org.etcdspring.lease.EtcdSession;
import org.etcdspring.lock.MutexRecipe.Contender;
import org.etcdspring.lock.MutexRecipe.Standing;

/**
 * One call's attempt to take a lock in etcd, for a thread that holds the lock's local
 * lock already: choose the session, then either try once or queue up and wait, watching
 * the key ahead (no polling), until the lock is held, the deadline passes or the thread
 * is interrupted. A contender that gives up deletes its key.
 *
 * @author etcd-spring
 */
final class Acquisition {

	private static final Log logger = LogFactory.getLog(Acquisition.class);

	private final EtcdLocks locks;

	private final EtcdMutex mutex;

	private final @Nullable Duration ttl;

	private final Deadline deadline;

	private final boolean waits;

	private final boolean interruptible;

	private boolean interrupted;

	/**
	 * Prepare an attempt.
	 * @param locks the locks the mutex belongs to
	 * @param mutex the lock to take
	 * @param ttl the time to live of the hold, {@code null} for the default
	 * @param deadline when to give up
	 * @param waits whether to wait at all, or try once
	 * @param interruptible whether an interrupt ends the attempt; otherwise interrupts
	 * are remembered and the thread's interrupt flag set again at the end
	 */
	Acquisition(EtcdLocks locks, EtcdMutex mutex, @Nullable Duration ttl, Deadline deadline, boolean waits,
			boolean interruptible) {
		this.locks = locks;
		this.mutex = mutex;
		this.ttl = ttl;
		this.deadline = deadline;
		this.waits = waits;
		this.interruptible = interruptible;
	}

	/**
	 * Take the lock.
	 * @return the hold, or {@code null} when the lock was not taken in time
	 * @throws InterruptedException when interruptible and interrupted; the key is deleted
	 * first
	 */
	@Nullable Hold run() throws InterruptedException {
		long start = System.nanoTime();
		Hold hold = null;
		try {
			hold = attempt();
			return hold;
		}
		finally {
			this.locks.recordAcquisition(this.mutex.name(), Duration.ofNanos(System.nanoTime() - start), hold != null);
		}
	}

	private @Nullable Hold attempt() throws InterruptedException {
		this.interrupted = !this.interruptible && Thread.interrupted();
		try {
			while (true) {
				this.locks.checkUsable(this.mutex);
				boolean ownSession = !this.locks.sessions().isShared(this.ttl);
				Duration ownTtl = ownSession ? this.ttl : null;
				EtcdSession session = io(
						() -> (ownTtl != null) ? this.locks.sessions().open(ownTtl) : this.locks.sessions().shared());
				Contender me = this.mutex.contender(session.lease());
				// An earlier hold or attempt on this lease may have left our key behind:
				// stop its removal in the background, which could delete our new hold.
				io(() -> {
					this.locks.claimAbandonedKey(me.key());
					return me;
				});
				Standing standing;
				try {
					standing = this.waits ? queue(me) : tryOnce(me);
				}
				catch (EtcdLeaseNotFoundException ex) {
					// The session's lease is gone before its keep-alive noticed: start
					// over on a new one.
					this.locks.leaseGone(me.leaseId(), "etcd no longer has lease " + session.lease().hexId(), ex);
					continue;
				}
				catch (InterruptedException | RuntimeException ex) {
					// Whatever we wrote, take it back: a failed or abandoned waiter must
					// not block others.
					giveUp(me, 0);
					closeIfOwn(session, ownSession);
					throw ex;
				}
				if (standing.kind() == Standing.Kind.HELD) {
					return this.locks.register(
							new Hold(this.mutex, me.key(), standing.createRevision(), session, ownSession),
							standing.revision());
				}
				closeIfOwn(session, ownSession);
				if (standing.kind() != Standing.Kind.NOT_QUEUED || this.deadline.hasPassed() || !this.waits) {
					return null;
				}
				// Our key vanished while we waited (our lease was lost): queue up again.
			}
		}
		finally {
			if (this.interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private Standing tryOnce(Contender me) throws InterruptedException {
		Standing standing = io(() -> this.locks.recipe().tryOnce(me));
		if (standing.kind() == Standing.Kind.WAITING) {
			// A key of ours left in the queue by an earlier attempt: we do not wait, so
			// remove it.
			giveUp(me, standing.createRevision());
			return Standing.notQueued(standing.revision());
		}
		return standing;
	}

	private Standing queue(Contender me) throws InterruptedException {
		Standing standing = io(() -> this.locks.recipe().enqueue(me));
		while (true) {
			switch (standing.kind()) {
				case HELD, NOT_QUEUED -> {
					return standing;
				}
				case KEY_TAKEN -> {
					// An earlier hold of ours outlives its release under our key name:
					// wait it out.
					if (!waitForDeletion(me.key(), standing.revision(), me)) {
						return Standing.notQueued(standing.revision());
					}
					standing = io(() -> this.locks.recipe().enqueue(me));
				}
				case WAITING -> {
					long myRevision = standing.createRevision();
					String blocker = standing.blocker();
					if (blocker != null && !waitForDeletion(blocker, standing.revision(), me)) {
						giveUp(me, myRevision);
						return Standing.notQueued(standing.revision());
					}
					standing = io(() -> this.locks.recipe().nextBlocker(me, myRevision));
					if (standing.kind() == Standing.Kind.NOT_QUEUED) {
						checkLease(me);
					}
				}
			}
		}
	}

	/**
	 * Wait for a key's deletion.
	 * @return {@code false} when the deadline passed first
	 */
	private boolean waitForDeletion(String key, long seenAtRevision, Contender me) throws InterruptedException {
		try (DeletionWait wait = this.locks.startWait(key, seenAtRevision, me.leaseId())) {
			while (true) {
				try {
					return wait.await(this.deadline);
				}
				catch (InterruptedException ex) {
					if (this.interruptible) {
						throw ex;
					}
					this.interrupted = true;
				}
			}
		}
	}

	/**
	 * Our key is gone: if our lease went with it, replace the session before queueing
	 * again.
	 */
	private void checkLease(Contender me) throws InterruptedException {
		boolean alive = io(() -> this.locks.leases().keepAliveOnce(me.leaseId()).isPresent());
		if (!alive) {
			this.locks.leaseGone(me.leaseId(), "etcd no longer has lease " + Long.toHexString(me.leaseId()), null);
		}
	}

	/**
	 * Run a call to etcd. An interrupt that aborts it ends an interruptible attempt;
	 * otherwise the call is made again with the interrupt remembered.
	 */
	private <T> T io(EtcdCall<T> call) throws InterruptedException {
		while (true) {
			try {
				return call.call();
			}
			catch (EtcdException ex) {
				if (!Thread.interrupted()) {
					throw ex;
				}
				if (this.interruptible) {
					throw interruptedBy(ex);
				}
				this.interrupted = true;
			}
		}
	}

	/**
	 * Leave the queue: delete our key, whatever the thread's interrupt state.
	 * @param me the contender
	 * @param createRevision the key's create revision, {@code 0} when unknown
	 */
	private void giveUp(Contender me, long createRevision) {
		boolean wasInterrupted = Thread.interrupted();
		try {
			if (createRevision > 0) {
				this.locks.recipe().release(me.key(), createRevision);
			}
			else {
				this.locks.recipe().leave(me);
			}
		}
		catch (EtcdException ex) {
			String description = "Removing key '" + PrintableKey.of(me.key()) + "' of lock '"
					+ PrintableKey.of(this.mutex.name()) + "' from its queue failed (" + ex.getMessage() + ")";
			// The lease may be shared with holds that keep it alive, so the key must not
			// stay on it. Guarded on the key's create revision, the delete is safe to
			// repeat; when the attempt's outcome is unknown, the revision is read once
			// etcd answers.
			Runnable removal = (createRevision > 0) ? () -> this.locks.recipe().release(me.key(), createRevision)
					: () -> this.locks.recipe().leaveOnceKnown(me);
			if (!this.locks.retryRemoval(me.key(), me.leaseId(), description, removal, false)) {
				logger.warn(description + ": it stays until its lease " + Long.toHexString(me.leaseId()) + " ends");
			}
		}
		finally {
			if (wasInterrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static void closeIfOwn(EtcdSession session, boolean ownSession) {
		if (ownSession) {
			session.close();
		}
	}

	private static InterruptedException interruptedBy(EtcdException ex) {
		InterruptedException interrupted = new InterruptedException(ex.getMessage());
		interrupted.initCause(ex);
		return interrupted;
	}

	@FunctionalInterface
	private interface EtcdCall<T> {

		T call();

	}

}
