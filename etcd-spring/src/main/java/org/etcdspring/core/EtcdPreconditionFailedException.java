package org.etcdspring.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when an operation's precondition does not hold, for example a directory that is
 * not empty.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdPreconditionFailedException extends EtcdException {

	public EtcdPreconditionFailedException(String message, @Nullable String operation, @Nullable String key,
			@Nullable String endpoint, @Nullable Throwable cause) {
		super(message, operation, key, endpoint, cause);
	}

}
