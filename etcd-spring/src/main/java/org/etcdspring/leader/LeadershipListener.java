package org.etcdspring.leader;

/**
 * Told when a {@link Leadership} is lost: its session's lease expired or was revoked, or
 * its key was deleted. Not told of a {@link Leadership#resign() resignation}. Called on
 * an etcd client thread: return quickly.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
@FunctionalInterface
public interface LeadershipListener {

	/**
	 * The leadership is lost; {@link Leadership#isLeader()} already answers
	 * {@code false}.
	 * @param leadership the lost leadership
	 * @param reason why it is lost
	 */
	void leadershipLost(Leadership leadership, String reason);

}
