package org.etcdspring.cache;

/**
 * Receives the changes of an {@link EtcdCache}, one revision at a time and in revision
 * order, after the cache applied them. Called on a watch dispatch thread, never
 * concurrently for one cache: a listener that blocks holds up the cache.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
@FunctionalInterface
public interface EtcdCacheListener {

	/**
	 * The cache changed.
	 * @param change the puts and deletes of one revision (all keys of a multi-key
	 * transaction together), or the differences found by a resync or the current content
	 * when the listener is added
	 */
	void onChange(EtcdCacheChange change);

}
