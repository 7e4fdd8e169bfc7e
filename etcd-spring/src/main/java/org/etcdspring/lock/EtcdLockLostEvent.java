package org.etcdspring.lock;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.EtcdException;
import org.etcdspring.core.PrintableKey;

import org.springframework.context.ApplicationEvent;

/**
 * Published when a lock held by this process is lost: its lease could not be renewed
 * before it expired, or its owner key was deleted. Writes guarded by the lock's fencing
 * token ({@link org.etcdspring.core.Txn#ifHeld}) are refused from then on.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdLockLostEvent extends ApplicationEvent {

	private final String lockName;

	private final String ownerKey;

	private final long fencingToken;

	private final String reason;

	private final transient @Nullable EtcdException cause;

	/**
	 * Create an event.
	 * @param lock the lock that was lost
	 * @param ownerKey the key that held it
	 * @param fencingToken the create revision of that key
	 * @param reason why it is considered lost
	 * @param cause the failure that caused the loss, if any
	 */
	public EtcdLockLostEvent(EtcdMutex lock, String ownerKey, long fencingToken, String reason,
			@Nullable EtcdException cause) {
		super(lock);
		this.lockName = lock.name();
		this.ownerKey = ownerKey;
		this.fencingToken = fencingToken;
		this.reason = reason;
		this.cause = cause;
	}

	/**
	 * The lock that was lost.
	 * @return the lock
	 */
	public EtcdMutex getLock() {
		return (EtcdMutex) getSource();
	}

	public String getLockName() {
		return this.lockName;
	}

	public String getOwnerKey() {
		return this.ownerKey;
	}

	public long getFencingToken() {
		return this.fencingToken;
	}

	public String getReason() {
		return this.reason;
	}

	public @Nullable EtcdException getCause() {
		return this.cause;
	}

	@Override
	public String toString() {
		return "EtcdLockLostEvent[lock=" + PrintableKey.of(this.lockName) + ", ownerKey="
				+ PrintableKey.of(this.ownerKey) + ", fencingToken=" + this.fencingToken + ", reason=" + this.reason
				+ "]";
	}

}
