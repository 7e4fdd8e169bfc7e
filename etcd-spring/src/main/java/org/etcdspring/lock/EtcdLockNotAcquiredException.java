package org.etcdspring.lock;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.PrintableKey;

import org.springframework.dao.CannotAcquireLockException;

/**
 * Thrown by an {@link EtcdLock @EtcdLock} method whose lock was not taken in time.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdLockNotAcquiredException extends CannotAcquireLockException {

	private final String lockName;

	/**
	 * Create an exception.
	 * @param lockName the lock that was not taken
	 * @param waitTime how long the call waited for it
	 * @param cause what ended the wait early (an interrupt), if anything
	 */
	public EtcdLockNotAcquiredException(String lockName, Duration waitTime, @Nullable Throwable cause) {
		super("Lock '" + PrintableKey.of(lockName) + "' was not acquired "
				+ (waitTime.isZero() ? "at once" : "within " + waitTime) + ((cause != null) ? ": " + cause : ""),
				cause);
		this.lockName = lockName;
	}

	/**
	 * The lock that was not taken.
	 * @return the lock name
	 */
	public String getLockName() {
		return this.lockName;
	}

}
