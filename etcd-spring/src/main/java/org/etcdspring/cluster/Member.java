package org.etcdspring.cluster;

import java.net.URI;
import java.util.List;

import org.etcdspring.core.PrintableKey;

/**
 * One member of an etcd cluster.
 *
 * @param id the member ID, a uint64 (IDs above {@link Long#MAX_VALUE} are negative here);
 * {@link #hexId()} prints it as {@code etcdctl} does
 * @param name the member's name, empty while an added member has not started
 * @param peerUrls the URLs the other members reach it at
 * @param clientUrls the URLs clients reach it at, empty while it has not started
 * @param learner whether it is a learner (a non-voting member that only catches up)
 * @param leader whether it is the leader
 * @author etcd-spring
 * @since 0.1.0
 */
public record Member(long id, String name, List<URI> peerUrls, List<URI> clientUrls, boolean learner, boolean leader) {

	public Member {
		peerUrls = List.copyOf(peerUrls);
		clientUrls = List.copyOf(clientUrls);
	}

	/**
	 * The member ID in lower-case hexadecimal, as {@code etcdctl member list} shows it.
	 * @return the ID, such as {@code 8e9e05c52164694d}
	 */
	public String hexId() {
		return hexId(this.id);
	}

	/**
	 * Whether the member has started and joined: it then has a name and client URLs.
	 * @return {@code true} once the member has started
	 */
	public boolean isStarted() {
		return !this.clientUrls.isEmpty();
	}

	static String hexId(long id) {
		return Long.toHexString(id);
	}

	@Override
	public String toString() {
		return hexId() + " '" + PrintableKey.of(this.name) + "' " + this.clientUrls + (this.learner ? " (learner)" : "")
				+ (this.leader ? " (leader)" : "");
	}

}
