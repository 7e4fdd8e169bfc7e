package org.etcdspring.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a request exceeds the server's request size limit
 * ({@code --max-request-bytes}, 1.5 MiB by default) or its transaction operation limit.
 * Nothing was written.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdRequestTooLargeException extends EtcdException {

	public EtcdRequestTooLargeException(String message, @Nullable String operation, @Nullable String key,
			@Nullable String endpoint, @Nullable Throwable cause) {
		super(message, operation, key, endpoint, cause);
	}

}
