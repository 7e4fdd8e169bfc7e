package org.etcdspring.leader;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.EtcdException;

/**
 * Told of every change of an election's leader, one at a time and in order.
 *
 * @author etcd-spring
 * @since 0.1.0
 * @see Election#observe(LeaderListener)
 */
@FunctionalInterface
public interface LeaderListener {

	/**
	 * The election has another leader, its leader proclaimed another value, or it has no
	 * leader any more. The first call tells the state when observing began.
	 * @param leader the leader now, or {@code null} when there is none
	 */
	void leaderChanged(@Nullable Leader leader);

	/**
	 * Observing ended because etcd could not be read or watched any more. Nothing
	 * follows.
	 * @param error what ended it
	 */
	default void onError(EtcdException error) {
	}

}
