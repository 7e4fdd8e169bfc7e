package org.etcdspring.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a call did not complete before its deadline ({@code etcd.request-timeout}).
 * For a write, the outcome is unknown: it may or may not have been applied.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdTimeoutException extends EtcdException {

	public EtcdTimeoutException(String message, @Nullable String operation, @Nullable String key,
			@Nullable String endpoint, @Nullable Throwable cause) {
		super(message, operation, key, endpoint, cause);
	}

	@Override
	public boolean isTransient() {
		return true;
	}

}
