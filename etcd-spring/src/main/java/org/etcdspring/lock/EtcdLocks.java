package org.etcdspring.lock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.EtcdException;
import org.etcdspring.core.KeyValueOperations;
import org.etcdspring.core.PrintableKey;
import org.etcdspring.core.ReadConsistency;
import org.etcdspring.lease.EtcdSession;
import org.etcdspring.lease.Lease;
import org.etcdspring.lease.LeaseOperations;
import org.etcdspring.watch.WatchOperations;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * The distributed locks of one client under one key prefix, held on one kept-alive
 * session lease: hands out one {@link EtcdMutex} per lock name, tells when a held lock is
 * lost, and counts. Needs no Spring Integration; {@link EtcdLockRegistry} adapts it to
 * Spring Integration's lock registry contracts, and the {@link EtcdLock @EtcdLock}
 * interceptor takes its locks here too.
 *
 * <p>
 * A lock named {@code name} lives under the key prefix {@code <prefix><name>/}, in the
 * layout of etcd's {@code concurrency.Mutex}, so it excludes {@code etcdctl lock
 * <prefix><name>} and the reverse. Each {@code EtcdLocks} has a session of its own: two
 * instances on one client compete for a lock like two processes.
 *
 * <p>
 * A held lock is lost when its lease cannot be renewed before it expires, or when its
 * owner key is deleted; then {@link EtcdMutex#isHeld()} turns false at once, the loss is
 * logged and counted, an {@link EtcdLockLostEvent} is published when an
 * {@link ApplicationEventPublisher} is set, and the {@link LockListener}s are called.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdLocks implements ApplicationEventPublisherAware, AutoCloseable {

	/**
	 * The key prefix of the locks of {@link org.etcdspring.EtcdOperations#locks()},
	 * before the client's namespace.
	 */
	public static final String DEFAULT_PREFIX = "locks/";

	/**
	 * The default time to live of the session lease: how long the locks of a process that
	 * died or lost contact outlive it (the default of etcd's own sessions).
	 */
	public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);

	/**
	 * The default number of lock objects kept for reuse.
	 */
	public static final int DEFAULT_CACHE_CAPACITY = 100_000;

	private static final boolean DISTRIBUTED_LOCK_PRESENT = ClassUtils
		.isPresent("org.springframework.integration.support.locks.DistributedLock", EtcdLocks.class.getClassLoader());

	private static final Log logger = LogFactory.getLog(EtcdLocks.class);

	private final KeyValueOperations etcd;

	private final LeaseOperations leases;

	private final WatchOperations watches;

	private final String prefix;

	private final MutexRecipe recipe;

	private final LockSessions sessions;

	private final ReentrantLock cacheLock = new ReentrantLock();

	private final Map<String, EtcdMutex> cache = new LinkedHashMap<>(16, 0.75f, true);

	private final HoldTracker holds;

	private final Set<DeletionWait> waits = ConcurrentHashMap.newKeySet();

	private final AbandonedKeys abandonedKeys = new AbandonedKeys();

	private int cacheCapacity = DEFAULT_CACHE_CAPACITY;

	private volatile boolean closed;

	private volatile AcquisitionRecorder acquisitionRecorder = (name, duration, acquired) -> {
	};

	/**
	 * Locks under the given key prefix.
	 * @param etcd the operations to take locks with; reads go through a linearizable view
	 * @param leases the leases the locks' sessions are held on
	 * @param watches the watches that waiters learn of released locks through
	 * @param prefix the key prefix, such as {@code "locks/"}; empty to use lock names as
	 * prefixes directly, as {@code etcdctl lock} does
	 */
	public EtcdLocks(KeyValueOperations etcd, LeaseOperations leases, WatchOperations watches, String prefix) {
		Assert.notNull(etcd, "'etcd' must not be null");
		Assert.notNull(leases, "'leases' must not be null");
		Assert.notNull(watches, "'watches' must not be null");
		Assert.notNull(prefix, "'prefix' must not be null");
		this.etcd = etcd.withConsistency(ReadConsistency.LINEARIZABLE);
		this.leases = leases;
		this.watches = watches;
		this.prefix = prefix;
		this.recipe = new MutexRecipe(this.etcd);
		this.holds = new HoldTracker(this.etcd, watches, prefix);
		this.sessions = new LockSessions(leases, DEFAULT_TTL, this::leaseGone);
	}

	/**
	 * Set the time to live of the session lease that locks are held on: how long the
	 * locks of a process that died or lost contact outlive it. The lease is kept alive
	 * (renewed at a third of its time to live) for as long as this process runs, so a
	 * live holder keeps its locks however long it holds them. Applies to sessions opened
	 * from now on. Default {@link #DEFAULT_TTL}.
	 * @param ttl the time to live, at least one second (etcd counts whole seconds)
	 */
	public void setTtl(Duration ttl) {
		checkTtl(ttl);
		this.sessions.setTtl(ttl);
	}

	/**
	 * The time to live of the session lease.
	 * @return the time to live
	 */
	public Duration getTtl() {
		return this.sessions.ttl();
	}

	/**
	 * Set how many lock objects are kept for reuse. Beyond it, the least recently used
	 * lock not held in this process is dropped (using it afterwards fails: obtain it
	 * again); when every cached lock is held, obtaining another one fails with
	 * {@link CannotAcquireLockException}. Default {@link #DEFAULT_CACHE_CAPACITY}.
	 * @param cacheCapacity a positive capacity
	 */
	public void setCacheCapacity(int cacheCapacity) {
		Assert.isTrue(cacheCapacity > 0, () -> "'cacheCapacity' must be positive, was " + cacheCapacity);
		this.cacheLock.lock();
		try {
			this.cacheCapacity = cacheCapacity;
			this.cache.values().removeIf((lock) -> this.cache.size() > cacheCapacity && !lock.isLocked());
		}
		finally {
			this.cacheLock.unlock();
		}
	}

	/**
	 * Set the publisher of {@link EtcdLockLostEvent}s.
	 * @param eventPublisher the publisher, {@code null} for none
	 */
	@Override
	public void setApplicationEventPublisher(@Nullable ApplicationEventPublisher eventPublisher) {
		this.holds.setEventPublisher(eventPublisher);
	}

	/**
	 * Record the duration of every distributed acquisition, such as in a timer.
	 * @param acquisitionRecorder the recorder; none by default
	 */
	public void setAcquisitionRecorder(AcquisitionRecorder acquisitionRecorder) {
		Assert.notNull(acquisitionRecorder, "'acquisitionRecorder' must not be null");
		this.acquisitionRecorder = acquisitionRecorder;
	}

	void recordAcquisition(String name, Duration duration, boolean acquired) {
		try {
			this.acquisitionRecorder.record(name, duration, acquired);
		}
		catch (RuntimeException ex) {
			logger.warn("Recording the acquisition of lock '" + PrintableKey.of(name) + "' failed", ex);
		}
	}

	/**
	 * Add a listener told of every lock this instance loses.
	 * @param listener the listener
	 */
	public void addLockListener(LockListener listener) {
		Assert.notNull(listener, "'listener' must not be null");
		this.holds.addListener(listener);
	}

	/**
	 * The key prefix the locks live under.
	 * @return the prefix
	 */
	public String getPrefix() {
		return this.prefix;
	}

	/**
	 * The lock of the given name: the same object for the same name until it is dropped
	 * from the cache.
	 * @param name the lock name, not empty, without {@code /}
	 * @return the lock
	 */
	public EtcdMutex obtain(String name) {
		return obtainLock(name, "");
	}

	/**
	 * The lock of the given name for holders that present an owner value, like the
	 * reentrant lock of python-etcd-client: the value is stored in the lock's key, and an
	 * acquisition presenting the value of every current holder (and of every earlier
	 * waiter) passes at once, while others wait until those release the lock or expire.
	 * Within this process the lock is still taken by one thread at a time.
	 * @param name the lock name, not empty, without {@code /}
	 * @param ownerValue the owner value, not empty
	 * @return the lock
	 * @throws IllegalStateException when this process holds the lock with another owner
	 * value
	 */
	public EtcdMutex obtain(String name, String ownerValue) {
		Assert.isTrue(ownerValue != null && !ownerValue.isEmpty(), "Lock owner value must not be null or empty");
		return obtainLock(name, ownerValue);
	}

	private EtcdMutex obtainLock(String name, String ownerValue) {
		checkName(name);
		this.cacheLock.lock();
		try {
			Assert.state(!this.closed, "The etcd locks have been closed");
			EtcdMutex lock = this.cache.get(name);
			if (lock != null && lock.ownerValue().equals(ownerValue)) {
				return lock;
			}
			if (lock != null && lock.isLocked()) {
				throw new IllegalStateException("Lock '" + PrintableKey.of(name) + "' is held in this process with "
						+ describeOwnerValue(lock.ownerValue()) + "; it cannot be obtained with "
						+ describeOwnerValue(ownerValue) + " until it is released");
			}
			lock = newMutex(name, ownerValue);
			this.cache.put(name, lock);
			if (this.cache.size() > this.cacheCapacity) {
				EtcdMutex added = lock;
				this.cache.values().removeIf((cached) -> cached != added && !cached.isLocked());
				if (this.cache.size() > this.cacheCapacity) {
					this.cache.remove(name);
					throw new CannotAcquireLockException("All " + this.cacheCapacity + " cached locks of " + this
							+ " are held in this process: cannot obtain lock '" + PrintableKey.of(name) + "' now");
				}
			}
			return lock;
		}
		finally {
			this.cacheLock.unlock();
		}
	}

	private EtcdMutex newMutex(String name, String ownerValue) {
		String keyPrefix = this.prefix + name + "/";
		return DISTRIBUTED_LOCK_PRESENT ? IntegrationLocks.newLock(this, name, keyPrefix, ownerValue)
				: new EtcdMutex(this, name, keyPrefix, ownerValue);
	}

	private static String describeOwnerValue(String ownerValue) {
		return ownerValue.isEmpty() ? "no owner value" : "owner value '" + ownerValue + "'";
	}

	/**
	 * Reject a lock name that is empty or contains {@code /}, before any request.
	 * @param name the name
	 */
	static void checkName(@Nullable String name) {
		Assert.isTrue(name != null && !name.isEmpty(), "Lock name must not be null or empty");
		Assert.isTrue(name.indexOf('/') < 0,
				() -> "Lock name '" + PrintableKey.of(name) + "' must not contain '/': a lock named '"
						+ name.substring(0, name.indexOf('/')) + "' would wait on the keys of this one");
	}

	static void checkTtl(@Nullable Duration ttl) {
		Assert.isTrue(ttl != null && ttl.compareTo(Duration.ofSeconds(1)) >= 0,
				() -> "Lock TTL must be at least one second (etcd leases count whole seconds), was " + ttl);
	}

	/**
	 * Drop the cached locks not held in this process and last taken at least the given
	 * time ago.
	 * @param age the minimum age; zero or negative drops every lock not held
	 */
	public void expireUnusedOlderThan(Duration age) {
		Assert.notNull(age, "'age' must not be null");
		long now = System.nanoTime();
		this.cacheLock.lock();
		try {
			this.cache.values().removeIf((lock) -> !lock.isLocked() && now - lock.lastUsedNanos() >= age.toNanos());
		}
		finally {
			this.cacheLock.unlock();
		}
	}

	/**
	 * The locks this process holds now (a snapshot), oldest hold first.
	 * @return the held locks
	 */
	public List<HeldLock> heldLocks() {
		return this.holds.heldLocks();
	}

	/**
	 * How many held locks were lost since this instance was created.
	 * @return the number of lost locks
	 */
	public long lostLockCount() {
		return this.holds.lostLockCount();
	}

	/**
	 * How many lock objects the cache holds.
	 * @return the number of cached locks
	 */
	public int cachedLockCount() {
		this.cacheLock.lock();
		try {
			return this.cache.size();
		}
		finally {
			this.cacheLock.unlock();
		}
	}

	/**
	 * End every hold and wait, and revoke the session leases, deleting this process's
	 * lock keys. Threads that still hold a lock get a
	 * {@link ConcurrentModificationException} when they unlock it.
	 */
	@Override
	public void close() {
		this.cacheLock.lock();
		try {
			this.closed = true;
			this.cache.clear();
		}
		finally {
			this.cacheLock.unlock();
		}
		this.waits.forEach(DeletionWait::wake);
		this.holds.close();
		this.sessions.close();
		this.abandonedKeys.clear();
	}

	// The following serve EtcdMutex and Acquisition.

	KeyValueOperations etcd() {
		return this.etcd;
	}

	LeaseOperations leases() {
		return this.leases;
	}

	MutexRecipe recipe() {
		return this.recipe;
	}

	LockSessions sessions() {
		return this.sessions;
	}

	/**
	 * Fail when these locks are closed, or the lock was dropped from the cache (another
	 * object may stand for its name now).
	 */
	void checkUsable(EtcdMutex lock) {
		this.cacheLock.lock();
		try {
			Assert.state(!this.closed, "The etcd locks have been closed");
			if (this.cache.get(lock.name()) != lock) {
				throw new IllegalStateException("Lock '" + PrintableKey.of(lock.name())
						+ "' was dropped from the cache of " + this + ": obtain it again");
			}
		}
		finally {
			this.cacheLock.unlock();
		}
	}

	/**
	 * Start tracking a new hold, so that its loss is noticed and announced.
	 * @param hold the hold
	 * @param revision the revision the hold was seen at
	 * @return the hold
	 */
	Hold register(Hold hold, long revision) {
		return this.holds.track(hold, revision);
	}

	/**
	 * Start waiting for a key's deletion; the wait ends early when the waiter's lease is
	 * lost or these locks are closed.
	 */
	DeletionWait startWait(String key, long seenAtRevision, long leaseId) {
		DeletionWait wait = new DeletionWait(key, seenAtRevision, leaseId, this.waits::remove);
		// Registered before it starts, so that no loss of the lease or close is missed.
		this.waits.add(wait);
		try {
			if (this.closed) {
				wait.wake();
			}
			else {
				wait.start(this.watches);
			}
			return wait;
		}
		catch (RuntimeException ex) {
			this.waits.remove(wait);
			throw ex;
		}
	}

	/**
	 * A session lease is gone: every hold on it is lost, and every contender waiting on
	 * it must queue up again.
	 */
	void leaseGone(long leaseId, String reason, @Nullable EtcdException cause) {
		this.sessions.discard(leaseId);
		this.abandonedKeys.leaseGone(leaseId);
		this.holds.leaseGone(leaseId, reason, cause);
		this.waits.stream().filter((wait) -> wait.leaseId() == leaseId).forEach(DeletionWait::wake);
	}

	/**
	 * Give a lock back: delete its key, or leave the key on a lease of its own that ends
	 * after the given time, so that nobody takes the lock before.
	 * @param hold the hold
	 * @param keepFor how long the lock stays taken from now, {@code null} or not positive
	 * to free it at once
	 * @throws ConcurrentModificationException when the lock was lost
	 */
	void release(Hold hold, @Nullable Duration keepFor) {
		// Past the lease's local deadline, another holder may have had the lock
		// meanwhile.
		boolean withinDeadline = hold.session().isAlive();
		boolean wasHeld = hold.finish();
		this.holds.untrack(hold);
		try {
			if (!wasHeld) {
				throw lostException(hold);
			}
			boolean released = (keepFor != null && keepFor.toNanos() > 0) ? keepTaken(hold, keepFor) : releaseKey(hold);
			if (!released) {
				this.holds.lostAtRelease(hold, "its key was gone when it was unlocked");
				throw lostException(hold);
			}
			if (!withinDeadline) {
				this.holds.lostAtRelease(hold, "its session lease " + hold.session().lease().hexId()
						+ " passed its local deadline before it was unlocked");
				throw lostException(hold);
			}
		}
		finally {
			if (hold.hasOwnSession()) {
				hold.session().close();
			}
		}
	}

	/**
	 * Delete the hold's key: a plain delete while the unlocking thread holds the local
	 * lock, see {@link MutexRecipe#releaseHeld(String)}. When etcd cannot be reached, the
	 * release {@link #retryRelease goes on in the background}: the lock is given back
	 * either way.
	 * @return {@code false} when the key was gone
	 */
	private boolean releaseKey(Hold hold) {
		try {
			return this.recipe.releaseHeld(hold.key());
		}
		catch (EtcdException ex) {
			retryRelease(hold, "Releasing " + hold + " failed (" + ex.getMessage() + ")",
					() -> this.recipe.release(hold.key(), hold.fencingToken()));
			return true;
		}
	}

	/**
	 * Leave the hold's key on a lease of its own that ends after the given time. When
	 * etcd cannot be reached, the release {@link #retryRelease goes on in the
	 * background}: each retry moves the key to a new lease for what is left of that time,
	 * or deletes it, guarded on its create revision, once nothing is left. Keeping the
	 * lock taken is best effort; the key never stays on the shared session's lease.
	 * @return {@code false} when the key was gone
	 */
	private boolean keepTaken(Hold hold, Duration keepFor) {
		long keepUntilNanos = System.nanoTime() + keepFor.toNanos();
		try {
			return keepTakenUntil(hold, keepUntilNanos);
		}
		catch (EtcdException ex) {
			retryRelease(hold,
					"Releasing " + hold + " to keep it taken for " + keepFor + " failed (" + ex.getMessage() + ")",
					() -> keepTakenUntil(hold, keepUntilNanos));
			return true;
		}
	}

	private boolean keepTakenUntil(Hold hold, long keepUntilNanos) {
		long leftNanos = keepUntilNanos - System.nanoTime();
		if (leftNanos <= 0) {
			return this.recipe.release(hold.key(), hold.fencingToken());
		}
		// Whole seconds, rounded up.
		Lease lease = leases().grant(Duration.ofNanos(leftNanos));
		boolean moved = false;
		try {
			moved = this.recipe.moveToLease(hold.key(), hold.fencingToken(), lease.id());
			return moved;
		}
		finally {
			if (!moved) {
				revokeQuietly(lease);
			}
		}
	}

	private void revokeQuietly(Lease lease) {
		try {
			leases().revoke(lease.id(), EtcdSession.REVOKE_TIMEOUT);
		}
		catch (EtcdException ex) {
			// Not renewed, the unused lease expires after the time the lock was to be
			// kept.
		}
	}

	/**
	 * Go on with a release that etcd did not answer. A key on the shared session must not
	 * live on with its lease, which this process keeps alive: the release is retried in
	 * the background while the lease lives, unless an attempt of this process takes the
	 * key over first. A hold's own session ends with the hold, taking the key along when
	 * its lease expires.
	 * @param hold the hold
	 * @param description what failed, for the log
	 * @param release the release, safe to repeat
	 */
	private void retryRelease(Hold hold, String description, Runnable release) {
		if (hold.hasOwnSession() || !retryRemoval(hold.key(), hold.session().leaseId(), description, release, true)) {
			logger.warn(description + ": its key goes with its lease " + hold.session().lease().hexId()
					+ ", no longer renewed");
		}
	}

	/**
	 * Retry the removal of a key of the shared session in the background, while its lease
	 * lives, until it succeeds or an attempt of this process claims the key (see
	 * {@link #claimAbandonedKey(String)}).
	 * @param key the key
	 * @param leaseId the lease it is on
	 * @param description what failed, for the log
	 * @param removal the removal, safe to repeat
	 * @param held whether the key was a hold's, released in vain, rather than a waiter's
	 * @return {@code false} when the lease is not the shared session's (any more): the
	 * key goes with it
	 */
	boolean retryRemoval(String key, long leaseId, String description, Runnable removal, boolean held) {
		if (this.sessions.retryOnShared(leaseId, description,
				this.abandonedKeys.abandon(key, leaseId, removal, held))) {
			return true;
		}
		this.abandonedKeys.forget(key);
		return false;
	}

	/**
	 * Claim a key whose removal is retried in the background, before writing it: the key
	 * is named after its lease, so the next attempt on the same lease writes the same
	 * key, and the removal must not delete it then. A waiter's key is taken over with its
	 * place in the queue; a hold's key is released first (moved to its lease of
	 * {@code keepFor}, or deleted), so that the next hold has a fencing token of its own.
	 * @param key the key about to be written
	 * @throws EtcdException when etcd does not answer that release: it goes on in the
	 * background
	 */
	void claimAbandonedKey(String key) {
		this.abandonedKeys.claim(key);
	}

	/**
	 * Renew a hold's lease at once.
	 * @throws IllegalStateException when the lock was lost
	 */
	void renew(Hold hold) {
		checkHeld(hold);
		if (leases().keepAliveOnce(hold.session().leaseId()).isEmpty()) {
			leaseGone(hold.session().leaseId(), "etcd no longer has lease " + hold.session().lease().hexId(), null);
			checkHeld(hold);
		}
	}

	/**
	 * Move a hold to a lease of the given time to live, keeping its place and token.
	 * @throws IllegalStateException when the lock was lost
	 */
	void renew(Hold hold, Duration ttl) {
		checkHeld(hold);
		boolean own = !this.sessions.isShared(ttl);
		EtcdSession next = own ? this.sessions.open(ttl) : this.sessions.shared();
		if (next == hold.session()) {
			renew(hold);
			return;
		}
		boolean moved = false;
		try {
			moved = this.recipe.moveToLease(hold.key(), hold.fencingToken(), next.leaseId());
		}
		finally {
			if (!moved && own) {
				next.close();
			}
		}
		if (!moved) {
			this.holds.lost(hold, "its key was gone when it was renewed", null);
			checkHeld(hold);
		}
		EtcdSession previous = hold.session();
		boolean previousOwn = hold.hasOwnSession();
		hold.moveTo(next, own);
		if (previousOwn) {
			previous.close();
		}
	}

	private static void checkHeld(Hold hold) {
		if (!hold.isHeld()) {
			throw new IllegalStateException("Cannot renew " + hold + ": it was lost (" + hold.lossReason() + ")");
		}
	}

	private static ConcurrentModificationException lostException(Hold hold) {
		return new ConcurrentModificationException("The " + hold + " was lost before it was unlocked ("
				+ hold.lossReason() + "): the data it protects may have been changed by another holder meanwhile");
	}

	@Override
	public String toString() {
		return "EtcdLocks[prefix='" + PrintableKey.of(this.prefix) + "']";
	}

	/**
	 * Creates the Spring Integration flavour of the lock, in a class of its own so that
	 * {@code EtcdLocks} loads without Spring Integration.
	 */
	private static final class IntegrationLocks {

		static EtcdMutex newLock(EtcdLocks locks, String name, String keyPrefix, String ownerValue) {
			return new EtcdDistributedLock(locks, name, keyPrefix, ownerValue);
		}

	}

}
