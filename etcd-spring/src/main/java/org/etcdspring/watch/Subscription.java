package org.etcdspring.watch;

/**
 * A running watch.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public interface Subscription extends AutoCloseable {

	/**
	 * Whether the watch still runs (it may be reconnecting).
	 * @return {@code false} once closed or ended by an error
	 */
	boolean isActive();

	/**
	 * The revision the watch resumes from after a reconnect: one past the last change
	 * delivered (or confirmed by a progress notification).
	 * @return the next revision, {@code 0} before the server answered
	 */
	long nextRevision();

	/**
	 * End the watch and its connection. No event is delivered afterwards.
	 */
	@Override
	void close();

}
