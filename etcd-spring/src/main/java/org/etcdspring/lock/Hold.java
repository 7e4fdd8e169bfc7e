package org.etcdspring.lock;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.PrintableKey;
import org.etcdspring.lease.EtcdSession;
import org.etcdspring.watch.Subscription;

/**
 * One hold of a lock by this process: the owner key, its create revision (the fencing
 * token), the session it lives on, and whether it is still held, lost or released.
 *
 * @author etcd-spring
 */
final class Hold {

	private final EtcdMutex mutex;

	private final String key;

	private final long fencingToken;

	private final Instant since = Instant.now();

	private final AtomicReference<State> state = new AtomicReference<>(State.HELD);

	private final List<Runnable> lossActions = new CopyOnWriteArrayList<>();

	private volatile EtcdSession session;

	private volatile boolean ownSession;

	private volatile @Nullable Subscription ownerWatch;

	private volatile @Nullable String lossReason;

	Hold(EtcdMutex mutex, String key, long fencingToken, EtcdSession session, boolean ownSession) {
		this.mutex = mutex;
		this.key = key;
		this.fencingToken = fencingToken;
		this.session = session;
		this.ownSession = ownSession;
	}

	EtcdMutex mutex() {
		return this.mutex;
	}

	String key() {
		return this.key;
	}

	long fencingToken() {
		return this.fencingToken;
	}

	Instant since() {
		return this.since;
	}

	EtcdSession session() {
		return this.session;
	}

	boolean hasOwnSession() {
		return this.ownSession;
	}

	/**
	 * Move the hold to another session; the caller closes the previous one if it was the
	 * hold's own.
	 */
	void moveTo(EtcdSession session, boolean ownSession) {
		this.session = session;
		this.ownSession = ownSession;
	}

	void watchOwnerKey(Subscription watch) {
		this.ownerWatch = watch;
		if (this.state.get() != State.HELD) {
			watch.close();
		}
	}

	boolean isHeld() {
		return this.state.get() == State.HELD;
	}

	@Nullable String lossReason() {
		return this.lossReason;
	}

	/**
	 * Run an action if this hold is lost; at once if it is lost already.
	 * @param action a short action, run on the thread that detects the loss
	 */
	void onLoss(Runnable action) {
		this.lossActions.add(action);
		if (this.state.get() == State.LOST && this.lossActions.remove(action)) {
			action.run();
		}
	}

	/**
	 * Mark the hold lost, unless it ended already.
	 * @param reason why
	 * @return whether this call marked it lost; the caller then runs the
	 * {@link #runLossActions() loss actions}
	 */
	boolean markLost(String reason) {
		this.lossReason = reason;
		if (!this.state.compareAndSet(State.HELD, State.LOST)) {
			return false;
		}
		closeOwnerWatch();
		return true;
	}

	/**
	 * Mark the hold lost when its release finds its key gone.
	 * @param reason why
	 */
	void markLostAtRelease(String reason) {
		this.lossReason = reason;
		this.state.set(State.LOST);
	}

	/**
	 * Run the actions registered for the loss of this hold, once it is lost.
	 */
	void runLossActions() {
		for (Runnable action : this.lossActions) {
			if (this.lossActions.remove(action)) {
				action.run();
			}
		}
	}

	/**
	 * End the hold before its key is released, so that the deletion of the key is not
	 * taken for a loss.
	 * @return {@code false} when the hold was lost before
	 */
	boolean finish() {
		boolean wasHeld = this.state.compareAndSet(State.HELD, State.RELEASED);
		this.lossActions.clear();
		closeOwnerWatch();
		return wasHeld;
	}

	private void closeOwnerWatch() {
		Subscription watch = this.ownerWatch;
		if (watch != null) {
			watch.close();
		}
	}

	HeldLock toHeldLock() {
		return new HeldLock(this.mutex.name(), this.key, this.fencingToken, this.since);
	}

	@Override
	public String toString() {
		return "lock '" + PrintableKey.of(this.mutex.name()) + "' (key '" + PrintableKey.of(this.key)
				+ "', fencing token " + this.fencingToken + ")";
	}

	private enum State {

		HELD, LOST, RELEASED

	}

}
