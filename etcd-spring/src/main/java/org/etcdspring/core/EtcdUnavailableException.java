package org.etcdspring.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when no etcd endpoint could be reached, or the cluster answered that it is
 * unavailable or has no leader. Transient: the same call may succeed later.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdUnavailableException extends EtcdException {

	public EtcdUnavailableException(String message, @Nullable String operation, @Nullable String key,
			@Nullable String endpoint, @Nullable Throwable cause) {
		super(message, operation, key, endpoint, cause);
	}

	@Override
	public boolean isTransient() {
		return true;
	}

}
