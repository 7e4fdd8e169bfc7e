package org.etcdspring.stm;

import java.util.Set;
import java.util.TreeSet;

import org.etcdspring.core.EtcdException;

/**
 * Thrown when an {@link EtcdStm} transaction found other writers changing the keys it
 * read (or wrote) on every one of its attempts.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdStmConflictException extends EtcdException {

	private final Set<String> contendedKeys;

	private final int attempts;

	public EtcdStmConflictException(Set<String> contendedKeys, int attempts) {
		super("etcd STM transaction gave up after " + attempts + " attempts: other writers kept changing "
				+ new TreeSet<>(contendedKeys), "txn", null, null, null);
		this.contendedKeys = Set.copyOf(contendedKeys);
		this.attempts = attempts;
	}

	/**
	 * The keys found changed by other writers, over all attempts.
	 * @return the contended keys
	 */
	public Set<String> getContendedKeys() {
		return this.contendedKeys;
	}

	/**
	 * How many times the function ran.
	 * @return the number of attempts
	 */
	public int getAttempts() {
		return this.attempts;
	}

	@Override
	public boolean isTransient() {
		return true;
	}

}
