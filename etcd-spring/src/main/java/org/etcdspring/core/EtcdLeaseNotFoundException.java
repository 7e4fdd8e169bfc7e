package org.etcdspring.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a lease does not exist: it expired, was revoked, or never existed.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdLeaseNotFoundException extends EtcdException {

	public EtcdLeaseNotFoundException(String message, @Nullable String operation, @Nullable String key,
			@Nullable String endpoint, @Nullable Throwable cause) {
		super(message, operation, key, endpoint, cause);
	}

}
