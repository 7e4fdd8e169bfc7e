package org.etcdspring.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a write failed in a way that leaves its outcome unknown: the request may
 * have reached the server and been applied. Such a write is never retried blindly; read
 * the key to find out.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdOutcomeUnknownException extends EtcdException {

	public EtcdOutcomeUnknownException(String message, @Nullable String operation, @Nullable String key,
			@Nullable String endpoint, @Nullable Throwable cause) {
		super(message, operation, key, endpoint, cause);
	}

	@Override
	public boolean isTransient() {
		return true;
	}

}
