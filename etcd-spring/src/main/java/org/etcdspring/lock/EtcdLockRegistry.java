package org.etcdspring.lock;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.KeyValueOperations;
import org.etcdspring.core.PrintableKey;
import org.etcdspring.lease.LeaseOperations;
import org.etcdspring.watch.WatchOperations;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.integration.support.locks.DistributedLock;
import org.springframework.integration.support.locks.ExpirableLockRegistry;
import org.springframework.integration.support.locks.RenewableLockRegistry;
import org.springframework.util.Assert;

/**
 * Spring Integration's lock registry on etcd: the locks of an {@link EtcdLocks}, as
 * {@link DistributedLock}s. Locks are reentrant per thread; an unlock by a thread that
 * does not hold the lock throws {@link IllegalStateException}, and an unlock of a lock
 * lost meanwhile throws {@link java.util.ConcurrentModificationException}. Lock objects
 * are cached up to a capacity.
 *
 * <pre class="code">
 * EtcdLockRegistry registry = new EtcdLockRegistry(etcd.locks());
 * registry.executeLocked("billing", () -&gt; bill());
 * </pre>
 *
 * <p>
 * Unlike Redis or JDBC locks, a held lock does not expire while this process runs: its
 * session lease is kept alive, and the time to live only says how long the lock outlives
 * a holder that died or lost contact. No renewal scheduler is needed.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdLockRegistry implements ExpirableLockRegistry<DistributedLock>,
		RenewableLockRegistry<DistributedLock>, ApplicationEventPublisherAware, DisposableBean {

	private final EtcdLocks locks;

	private final boolean ownsLocks;

	/**
	 * A registry of the given locks, such as
	 * {@link org.etcdspring.EtcdOperations#locks()}: the registry's locks are the same
	 * objects. Destroying the registry does not close them.
	 * @param locks the locks
	 */
	public EtcdLockRegistry(EtcdLocks locks) {
		Assert.notNull(locks, "'locks' must not be null");
		this.locks = locks;
		this.ownsLocks = false;
	}

	/**
	 * A registry with locks of its own under the given key prefix, on a session lease of
	 * its own: it competes with other registries like another process. Destroying the
	 * registry closes them.
	 * @param etcd the operations to take locks with
	 * @param leases the leases the locks' session is held on
	 * @param watches the watches that waiters learn of released locks through
	 * @param prefix the key prefix of the locks, such as {@code "locks/"}
	 */
	public EtcdLockRegistry(KeyValueOperations etcd, LeaseOperations leases, WatchOperations watches, String prefix) {
		this.locks = new EtcdLocks(etcd, leases, watches, prefix);
		this.ownsLocks = true;
	}

	/**
	 * Set the time to live of the session lease the locks are held on.
	 * @param ttl the time to live, at least one second
	 * @see EtcdLocks#setTtl(Duration)
	 */
	public void setTtl(Duration ttl) {
		this.locks.setTtl(ttl);
	}

	/**
	 * Set how many lock objects are cached.
	 * @param cacheCapacity a positive capacity
	 * @see EtcdLocks#setCacheCapacity(int)
	 */
	public void setCacheCapacity(int cacheCapacity) {
		this.locks.setCacheCapacity(cacheCapacity);
	}

	/**
	 * Add a listener told of every lock lost.
	 * @param listener the listener
	 */
	public void addLockListener(LockListener listener) {
		this.locks.addLockListener(listener);
	}

	/**
	 * Set the publisher of {@link EtcdLockLostEvent}s, for the locks this registry owns;
	 * shared locks keep the publisher of their owner.
	 * @param eventPublisher the publisher
	 */
	@Override
	public void setApplicationEventPublisher(@Nullable ApplicationEventPublisher eventPublisher) {
		if (this.ownsLocks) {
			this.locks.setApplicationEventPublisher(eventPublisher);
		}
	}

	/**
	 * The locks behind this registry, with their held locks and loss count.
	 * @return the locks
	 */
	public EtcdLocks getLocks() {
		return this.locks;
	}

	/**
	 * The lock of the given name.
	 * @param lockKey the lock name: a {@code String}, not empty, without {@code /}
	 * @return the lock, an {@link EtcdMutex} too
	 */
	@Override
	public EtcdDistributedLock obtain(Object lockKey) {
		Assert.isInstanceOf(String.class, lockKey, "etcd lock keys are lock names: ");
		return (EtcdDistributedLock) this.locks.obtain((String) lockKey);
	}

	/**
	 * The lock of the given name for holders presenting an owner value.
	 * @param name the lock name
	 * @param ownerValue the owner value, not empty
	 * @return the lock
	 * @see EtcdLocks#obtain(String, String)
	 */
	public EtcdDistributedLock obtain(String name, String ownerValue) {
		return (EtcdDistributedLock) this.locks.obtain(name, ownerValue);
	}

	/**
	 * Drop the cached locks not held in this process and last used at least the given
	 * time ago.
	 * @param age the minimum age in milliseconds
	 */
	@Override
	public void expireUnusedOlderThan(long age) {
		this.locks.expireUnusedOlderThan(Duration.ofMillis(age));
	}

	/**
	 * Renew the lease of a lock held in this process now.
	 * @param lockKey the lock name
	 * @throws IllegalStateException when the lock is not held in this process, or was
	 * lost
	 */
	@Override
	public void renewLock(Object lockKey) {
		obtain(lockKey).renew();
	}

	/**
	 * Move a lock held in this process to a lease of the given time to live.
	 * @param lockKey the lock name
	 * @param ttl the new time to live
	 * @throws IllegalStateException when the lock is not held in this process, or was
	 * lost
	 */
	@Override
	public void renewLock(Object lockKey, Duration ttl) {
		obtain(lockKey).renew(ttl);
	}

	/**
	 * Close the locks this registry owns.
	 */
	@Override
	public void destroy() {
		if (this.ownsLocks) {
			this.locks.close();
		}
	}

	@Override
	public String toString() {
		return "EtcdLockRegistry[prefix='" + PrintableKey.of(this.locks.getPrefix()) + "']";
	}

}
