package org.etcdspring.watch;

import java.util.stream.Stream;

/**
 * Watches on etcd's key/value store: the layer that caches, locks and elections learn of
 * changes through. Implemented by {@link EtcdWatches} and, through
 * {@code org.etcdspring.EtcdOperations}, by {@code org.etcdspring.EtcdTemplate}.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public interface WatchOperations {

	/**
	 * Watch one key from the next change on.
	 * @param key the key
	 * @param listener receives the events
	 * @return the running watch, to close it
	 */
	default Subscription watch(String key, WatchListener listener) {
		return watch(WatchRequest.key(key), listener);
	}

	/**
	 * Watch every key that starts with a prefix from the next change on.
	 * @param prefix the prefix
	 * @param listener receives the events
	 * @return the running watch, to close it
	 */
	default Subscription watchPrefix(String prefix, WatchListener listener) {
		return watch(WatchRequest.prefix(prefix), listener);
	}

	/**
	 * Watch as the request says: from a revision, with previous values, without puts or
	 * deletes, with progress notifications.
	 * @param request what to watch
	 * @param listener receives the events
	 * @return the running watch, to close it
	 */
	Subscription watch(WatchRequest request, WatchListener listener);

	/**
	 * Watch as a blocking stream of events; closing the stream ends the watch, and an
	 * error that ends the watch is thrown by the stream's terminal operation.
	 * @param request what to watch
	 * @return the events, without end until closed
	 */
	Stream<WatchEvent> watchStream(WatchRequest request);

}
