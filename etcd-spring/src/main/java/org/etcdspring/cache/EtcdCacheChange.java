package org.etcdspring.cache;

import java.util.List;

import org.etcdspring.watch.WatchEvent;

/**
 * Changes applied to an {@link EtcdCache} together.
 *
 * @param revision the revision the cache reflects after these changes
 * @param events the puts and deletes, each with the entry the cache held before as its
 * {@link WatchEvent#prevKv() previous value}; a delete's {@link WatchEvent#kv() kv}
 * carries only the key and the revision of the deletion
 * @param kind why the cache changed
 * @author etcd-spring
 * @since 0.1.0
 */
public record EtcdCacheChange(long revision, List<WatchEvent> events, Kind kind) {

	public EtcdCacheChange {
		events = List.copyOf(events);
	}

	/**
	 * Why a cache changed.
	 */
	public enum Kind {

		/**
		 * The content of the cache when the listener was added, as puts.
		 */
		INITIAL,

		/**
		 * The changes of one revision, as the watch delivered them.
		 */
		UPDATE,

		/**
		 * The watch could not resume (its resume point was compacted, or it was
		 * cancelled): the prefix was read again and these are the differences.
		 */
		RESYNC

	}

}
