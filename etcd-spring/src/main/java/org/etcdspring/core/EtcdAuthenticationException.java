package org.etcdspring.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when etcd rejects the credentials or the authentication token.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdAuthenticationException extends EtcdException {

	public EtcdAuthenticationException(String message, @Nullable String operation, @Nullable String key,
			@Nullable String endpoint, @Nullable Throwable cause) {
		super(message, operation, key, endpoint, cause);
	}

}
