package org.etcdspring.watch;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.KeyValue;

/**
 * One change to a watched key.
 *
 * @param type whether the key was put or deleted
 * @param kv the key after the change; for a delete, only its key and mod revision
 * @param prevKv the key before the change, when the watch asked for it and it existed
 * @author etcd-spring
 * @since 0.1.0
 */
public record WatchEvent(Type type, KeyValue kv, @Nullable KeyValue prevKv) {

	/**
	 * The key that changed, without the client's namespace.
	 * @return the key
	 */
	public String key() {
		return this.kv.key();
	}

	/**
	 * The revision of the change.
	 * @return the revision
	 */
	public long revision() {
		return this.kv.modRevision();
	}

	/**
	 * The kind of change.
	 */
	public enum Type {

		PUT, DELETE

	}

}
