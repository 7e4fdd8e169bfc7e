package org.etcdspring.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when the authenticated user lacks the permission the operation needs.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdPermissionDeniedException extends EtcdException {

	public EtcdPermissionDeniedException(String message, @Nullable String operation, @Nullable String key,
			@Nullable String endpoint, @Nullable Throwable cause) {
		super(message, operation, key, endpoint, cause);
	}

}
