package org.etcdspring.watch;

import org.etcdspring.core.EtcdException;

/**
 * Receives the events of a watch, one at a time and in revision order. Events are
 * dispatched off the network threads, serially per watch.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
@FunctionalInterface
public interface WatchListener {

	/**
	 * One change.
	 * @param event the event
	 */
	void onEvent(WatchEvent event);

	/**
	 * Every change up to this revision has been delivered: the server said so in a
	 * progress notification, or the events of a response (which carries whole revisions)
	 * have all been handed over. A listener that applies the changes of one revision (a
	 * multi-key transaction) together can apply what it holds here.
	 * @param revision the revision
	 */
	default void onProgress(long revision) {
	}

	/**
	 * The watch ended for a reason a reconnect cannot mend (its start revision was
	 * compacted, which arrives as {@link org.etcdspring.core.EtcdCompactedException};
	 * permission denied; the server cancelled it). Nothing follows.
	 * @param error what ended the watch
	 */
	default void onError(EtcdException error) {
	}

}
