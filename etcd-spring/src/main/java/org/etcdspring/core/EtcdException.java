package org.etcdspring.core;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;

/**
 * Root of the exceptions thrown by etcd operations. Every message names the operation,
 * the (decoded) key and the endpoint involved, when they are known.
 *
 * <p>
 * Subclasses say what went wrong; {@link #isTransient()} says whether the same call may
 * succeed when tried again.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdException extends DataAccessException {

	private final @Nullable String operation;

	private final @Nullable String key;

	private final @Nullable String endpoint;

	public EtcdException(String message) {
		this(message, null, null, null, null);
	}

	public EtcdException(String message, @Nullable String operation, @Nullable String key, @Nullable String endpoint,
			@Nullable Throwable cause) {
		super(message, cause);
		this.operation = operation;
		this.key = key;
		this.endpoint = endpoint;
	}

	/**
	 * The etcd operation that failed, such as {@code put} or {@code txn}.
	 * @return the operation, or {@code null} when not tied to one call
	 */
	public @Nullable String getOperation() {
		return this.operation;
	}

	/**
	 * The decoded key the failed operation addressed.
	 * @return the key, or {@code null} when the operation had none
	 */
	public @Nullable String getKey() {
		return this.key;
	}

	/**
	 * The endpoint that answered (or failed to answer) last.
	 * @return the endpoint URL, or {@code null} when none was tried
	 */
	public @Nullable String getEndpoint() {
		return this.endpoint;
	}

	/**
	 * Whether the same call may succeed when tried again later.
	 * @return {@code false} by default
	 */
	public boolean isTransient() {
		return false;
	}

}
