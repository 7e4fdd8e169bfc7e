package org.etcdspring.lock;

import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.Deadline;
import org.etcdspring.core.FencedLock;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.PrintableKey;
import org.etcdspring.lease.Lease;
import org.etcdspring.lock.MutexRecipe.Contender;

import org.springframework.util.Assert;

/**
 * A distributed lock in etcd, reentrant per thread, in the key layout of etcd's own
 * {@code concurrency.Mutex}: it excludes other processes (and {@code etcdctl lock})
 * through a key in etcd, and the threads of this process through a local
 * {@link ReentrantLock}. Obtained from {@link EtcdLocks#obtain(String)},
 * {@link EtcdLockRegistry} or {@link org.etcdspring.EtcdOperations#lock(String)}; with
 * Spring Integration on the class path, every {@code EtcdMutex} handed out is also its
 * {@code DistributedLock} ({@link EtcdDistributedLock}).
 *
 * <pre class="code">
 * EtcdMutex lock = etcd.lock("billing");
 * if (lock.tryLock(Duration.ofSeconds(5), Duration.ofSeconds(30))) {
 *     try {
 *         etcd.txn().ifHeld(lock).then(TxnOp.put("invoice/42", invoice)).commit();
 *     }
 *     finally {
 *         lock.unlock();
 *     }
 * }
 * </pre>
 *
 * <p>
 * A hold lives on a kept-alive session lease: the time to live says how long the lock
 * outlives a holder that died or lost contact, not how long a live holder may keep it.
 * Waiting contenders watch the key ahead of them; they do not poll. {@link #tryLock()}
 * costs one round trip and never waits. A hold can be lost (its lease expired, its key
 * was deleted): {@link #isHeld()} turns false at once, the loss is announced by
 * {@link EtcdLocks}, writes fenced by {@link #fencingToken()} are refused, and
 * {@link #unlock()} throws {@link ConcurrentModificationException}. A further acquisition
 * by the thread that holds the lock asks etcd nothing: it succeeds, or fails once the
 * loss is known. Conditions are not supported.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdMutex implements Lock, FencedLock {

	private final EtcdLocks locks;

	private final String name;

	private final String keyPrefix;

	private final String ownerValue;

	private final ReentrantLock localLock = new ReentrantLock();

	private volatile @Nullable Hold hold;

	private volatile long lastUsedNanos = System.nanoTime();

	EtcdMutex(EtcdLocks locks, String name, String keyPrefix, String ownerValue) {
		this.locks = locks;
		this.name = name;
		this.keyPrefix = keyPrefix;
		this.ownerValue = ownerValue;
	}

	/**
	 * The lock's name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The prefix of the lock's keys, {@code <prefix><name>/}: what {@code etcdctl lock}
	 * takes to contend for the same lock.
	 * @return the key prefix, without the client's namespace
	 */
	public String keyPrefix() {
		return this.keyPrefix;
	}

	/**
	 * The value this lock's holds store in their key.
	 * @return the owner value, empty for a plain lock
	 * @see EtcdLocks#obtain(String, String)
	 */
	public String ownerValue() {
		return this.ownerValue;
	}

	/**
	 * Take the lock, waiting as long as it takes; interrupts do not end the wait. The
	 * hold lives on the shared session lease.
	 */
	@Override
	public void lock() {
		lockUninterruptibly(null);
	}

	/**
	 * Take the lock, waiting as long as it takes; interrupts do not end the wait.
	 * @param ttl the time to live of the hold's lease (kept alive while this process
	 * runs); other than the default, the hold gets a lease of its own
	 */
	public void lock(Duration ttl) {
		EtcdLocks.checkTtl(ttl);
		lockUninterruptibly(ttl);
	}

	private void lockUninterruptibly(@Nullable Duration ttl) {
		this.localLock.lock();
		try {
			if (this.localLock.getHoldCount() > 1) {
				checkReentry();
				return;
			}
			this.hold = new Acquisition(this.locks, this, ttl, Deadline.none(), true, false).run();
			this.lastUsedNanos = System.nanoTime();
		}
		catch (InterruptedException ex) {
			// Not thrown: an uninterruptible acquisition remembers interrupts instead.
			this.localLock.unlock();
			throw new IllegalStateException("Taking lock '" + PrintableKey.of(this.name) + "' was interrupted", ex);
		}
		catch (RuntimeException ex) {
			this.localLock.unlock();
			throw ex;
		}
	}

	@Override
	public void lockInterruptibly() throws InterruptedException {
		this.localLock.lockInterruptibly();
		try {
			if (this.localLock.getHoldCount() > 1) {
				checkReentry();
				return;
			}
			this.hold = new Acquisition(this.locks, this, null, Deadline.none(), true, true).run();
			this.lastUsedNanos = System.nanoTime();
		}
		catch (InterruptedException | RuntimeException ex) {
			this.localLock.unlock();
			throw ex;
		}
	}

	/**
	 * Take the lock if it is free now: one round trip, no wait. Holders presenting this
	 * lock's owner value do not make it busy (joining them takes a second round trip).
	 * @return whether the lock was taken
	 */
	@Override
	public boolean tryLock() {
		try {
			return tryLockFor(Duration.ZERO, null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Override
	public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
		Assert.notNull(unit, "'unit' must not be null");
		// TimeUnit saturates: tryLock(Long.MAX_VALUE, MILLISECONDS) waits without end,
		// never overflows.
		return tryLockFor(Duration.ofNanos(unit.toNanos(time)), null);
	}

	/**
	 * Take the lock, waiting at most the given time.
	 * @param waitTime how long to wait; zero or negative to try once
	 * @param ttl the time to live of the hold's lease (kept alive while this process
	 * runs); other than the default, the hold gets a lease of its own
	 * @return whether the lock was taken
	 * @throws InterruptedException when interrupted while waiting; the wait is then
	 * abandoned and its key deleted
	 */
	public boolean tryLock(Duration waitTime, Duration ttl) throws InterruptedException {
		EtcdLocks.checkTtl(ttl);
		return tryLockFor(waitTime, ttl);
	}

	/**
	 * Take the lock, waiting at most the given time.
	 * @param waitTime how long to wait; zero or negative to try once
	 * @param ttl the time to live of the hold's lease, {@code null} for the default
	 * @return whether the lock was taken
	 * @throws InterruptedException when interrupted while waiting
	 */
	boolean tryLockFor(Duration waitTime, @Nullable Duration ttl) throws InterruptedException {
		Assert.notNull(waitTime, "'waitTime' must not be null");
		Deadline deadline = Deadline.after(waitTime);
		boolean waits = !waitTime.isNegative() && !waitTime.isZero();
		if (!(waits ? this.localLock.tryLock(deadline.remainingNanos(), TimeUnit.NANOSECONDS)
				: this.localLock.tryLock())) {
			return false;
		}
		try {
			if (this.localLock.getHoldCount() > 1) {
				if (isHeld()) {
					return true;
				}
				this.localLock.unlock();
				return false;
			}
			Hold hold = new Acquisition(this.locks, this, ttl, deadline, waits, true).run();
			if (hold == null) {
				this.localLock.unlock();
				return false;
			}
			this.hold = hold;
			this.lastUsedNanos = System.nanoTime();
			return true;
		}
		catch (InterruptedException | RuntimeException ex) {
			this.localLock.unlock();
			throw ex;
		}
	}

	/**
	 * Give the lock back; the outermost unlock of the holding thread deletes the key.
	 * When etcd does not answer, the lock is given back here all the same and the key
	 * later: a key on the shared session lease is deleted in the background, guarded on
	 * its create revision, until that succeeds or the lease is gone (the next attempt of
	 * this process on the lock finishes that release first); a hold on a lease of its own
	 * leaves its key to that lease, which is no longer renewed.
	 * @throws IllegalStateException when the current thread does not hold the lock
	 * @throws ConcurrentModificationException when the lock was lost meanwhile (the local
	 * lock is released all the same)
	 */
	@Override
	public void unlock() {
		unlock(null);
	}

	/**
	 * Give the lock back, but leave it taken in etcd for the given time from now: its key
	 * moves to a lease of that time to live (whole seconds, at least etcd's minimum) that
	 * is not renewed, so nobody takes it before, even if this process ends. When etcd
	 * does not answer, the lock is given back here all the same and, as for
	 * {@link #unlock()}, the release goes on in the background: each retry moves the key
	 * to a new lease for what is left of that time, or deletes it once nothing is left.
	 * So keeping the lock taken is best effort; the key never stays on the shared session
	 * lease.
	 * @param keepFor how long the lock stays taken; {@code null} or not positive to free
	 * it at once
	 */
	void unlock(@Nullable Duration keepFor) {
		if (!this.localLock.isHeldByCurrentThread()) {
			throw new IllegalStateException("You do not own lock at '" + PrintableKey.of(this.keyPrefix) + "' (lock '"
					+ PrintableKey.of(this.name) + "'): the current thread did not take it");
		}
		if (this.localLock.getHoldCount() > 1) {
			this.localLock.unlock();
			return;
		}
		Hold hold = this.hold;
		// Give the key back even when the thread was interrupted: a leftover key blocks
		// others.
		boolean interrupted = Thread.interrupted();
		try {
			if (hold != null) {
				this.locks.release(hold, keepFor);
			}
		}
		finally {
			this.hold = null;
			this.lastUsedNanos = System.nanoTime();
			this.localLock.unlock();
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Conditions are not supported.
	 * @throws UnsupportedOperationException always
	 */
	@Override
	public Condition newCondition() {
		throw new UnsupportedOperationException("etcd locks do not support conditions");
	}

	/**
	 * Renew the hold's lease now, restoring its full time to live.
	 * @throws IllegalStateException when the lock is not held in this process, or was
	 * lost
	 */
	public void renew() {
		this.locks.renew(currentHold());
	}

	/**
	 * Move the hold to a lease of another time to live, keeping its place and fencing
	 * token: one guarded transaction.
	 * @param ttl the new time to live
	 * @throws IllegalStateException when the lock is not held in this process, or was
	 * lost
	 */
	public void renew(Duration ttl) {
		EtcdLocks.checkTtl(ttl);
		this.locks.renew(currentHold(), ttl);
	}

	/**
	 * Whether this process holds the lock and has not lost it.
	 * @return whether the lock is held
	 */
	public boolean isHeld() {
		Hold hold = this.hold;
		return hold != null && hold.isHeld();
	}

	/**
	 * Whether the current thread holds the lock and has not lost it.
	 * @return whether the current thread holds the lock
	 */
	public boolean isHeldByCurrentThread() {
		return this.localLock.isHeldByCurrentThread() && isHeld();
	}

	/**
	 * The key of this process's hold; still answered after the hold was lost, until the
	 * lock is unlocked.
	 * @return the owner key, without the client's namespace
	 * @throws IllegalStateException when the lock is not held in this process
	 */
	@Override
	public String ownerKey() {
		return currentHold().key();
	}

	/**
	 * The fencing token of this process's hold: the create revision of its key. Still
	 * answered after the hold was lost, until the lock is unlocked, so that writes fenced
	 * by it are refused.
	 * @return the fencing token
	 * @throws IllegalStateException when the lock is not held in this process
	 */
	@Override
	public long fencingToken() {
		return currentHold().fencingToken();
	}

	/**
	 * Read who holds the lock now, whoever it is: its key (named after the holder's
	 * lease), its owner value and its create revision (the holder's fencing token).
	 * @return the holder's key, or {@code null} when the lock is free
	 */
	public @Nullable KeyValue holder() {
		return this.locks.recipe().holder(this.keyPrefix);
	}

	private Hold currentHold() {
		Hold hold = this.hold;
		if (hold == null) {
			throw new IllegalStateException("Lock '" + PrintableKey.of(this.name) + "' is not held in this process");
		}
		return hold;
	}

	/**
	 * A further acquisition by the thread that holds the lock already is fine, unless the
	 * hold was lost: then the thread must unlock first.
	 */
	private void checkReentry() {
		Hold hold = this.hold;
		if (hold != null && !hold.isHeld()) {
			throw new IllegalStateException("Lock '" + PrintableKey.of(this.name) + "' was lost (" + hold.lossReason()
					+ "): unlock it before taking it again");
		}
	}

	/**
	 * Run an action if the current hold is lost.
	 * @param action a short action
	 */
	void onLoss(Runnable action) {
		currentHold().onLoss(action);
	}

	Contender contender(Lease lease) {
		return new Contender(this.keyPrefix, this.ownerValue, this.keyPrefix + lease.hexId(), lease.id());
	}

	/**
	 * Whether a thread of this process holds or is taking the lock.
	 */
	boolean isLocked() {
		return this.localLock.isLocked();
	}

	long lastUsedNanos() {
		return this.lastUsedNanos;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[name=" + PrintableKey.of(this.name) + ", keyPrefix="
				+ PrintableKey.of(this.keyPrefix) + (this.ownerValue.isEmpty() ? "" : ", ownerValue=" + this.ownerValue)
				+ ", held=" + isHeld() + "]";
	}

}
