package org.etcdspring.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a read or a watch asks for a revision that etcd has already compacted away.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdCompactedException extends EtcdException {

	private final long compactRevision;

	public EtcdCompactedException(String message, @Nullable String operation, @Nullable String key,
			@Nullable String endpoint, long compactRevision, @Nullable Throwable cause) {
		super(message, operation, key, endpoint, cause);
		this.compactRevision = compactRevision;
	}

	/**
	 * The revision up to which the history was compacted, when the server reported it.
	 * @return the compact revision, or {@code 0} when unknown
	 */
	public long getCompactRevision() {
		return this.compactRevision;
	}

}
