package org.etcdspring.benchmarks.clients;

import java.util.function.Consumer;

/**
 * Watches single keys, as each client does it.
 *
 * @author etcd-spring
 */
public interface WatchClient {

	/**
	 * Start watching a key from now on.
	 * @param key the key
	 * @param onPut called with the value of each put of the key
	 * @return the running watch
	 */
	Watching watch(String key, Consumer<byte[]> onPut);

	/**
	 * A running watch.
	 */
	interface Watching extends AutoCloseable {

		/**
		 * Whether the server confirmed the watch, so that every later change reaches it.
		 * @return {@code true} once the watch is created on the server
		 */
		boolean isEstablished();

		/**
		 * Stop watching.
		 */
		@Override
		void close();

	}

}
