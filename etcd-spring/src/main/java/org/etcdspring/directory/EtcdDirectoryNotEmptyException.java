package org.etcdspring.directory;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.EtcdPreconditionFailedException;

/**
 * Thrown by {@link EtcdDirectory#delete()} when keys exist under the directory; nothing
 * was deleted.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdDirectoryNotEmptyException extends EtcdPreconditionFailedException {

	public EtcdDirectoryNotEmptyException(String message, @Nullable String key) {
		super(message, "delete directory", key, null, null);
	}

}
