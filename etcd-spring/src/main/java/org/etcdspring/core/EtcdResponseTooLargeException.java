package org.etcdspring.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when the answer to a call is larger than the call may read: the client stopped
 * reading it at the limit and dropped what it had read. The server did nothing wrong and
 * the endpoint is fine; the same call would get the same answer, so it is not retried.
 * Ask for less (fewer keys per range), or read with a higher limit.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdResponseTooLargeException extends EtcdException {

	private final long maxBytes;

	public EtcdResponseTooLargeException(String message, @Nullable String operation, @Nullable String key,
			@Nullable String endpoint, long maxBytes) {
		super(message, operation, key, endpoint, null);
		this.maxBytes = maxBytes;
	}

	/**
	 * The limit the answer exceeded.
	 * @return the most bytes of the answer's body the call could read
	 */
	public long getMaxBytes() {
		return this.maxBytes;
	}

}
