package org.etcdspring.cluster;

import java.net.URI;
import java.util.List;

import org.etcdspring.core.EtcdException;

/**
 * Questions about the etcd cluster behind a template: its version, members, leader and
 * the status of each member, and the endpoints the client uses. Reached through
 * {@link org.etcdspring.EtcdOperations#cluster()}.
 *
 * <p>
 * Every call has the deadline of any other etcd request and fails with an
 * {@link EtcdException}.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public interface ClusterOperations {

	/**
	 * The server and cluster versions ({@code GET /version}) of the member in use.
	 * @return the versions
	 */
	EtcdVersion version();

	/**
	 * Every member of the cluster, in the order etcd lists them, each with its URLs and
	 * whether it is a learner or the leader.
	 * @return the members
	 */
	List<Member> members();

	/**
	 * The member that leads the cluster, as the member in use sees it.
	 * @return the leader
	 * @throws org.etcdspring.core.EtcdUnavailableException if the cluster has no leader
	 */
	Member leader();

	/**
	 * The status of the member in use.
	 * @return its status
	 */
	MemberStatus status();

	/**
	 * The status of the member at the given client URL, asked there and nowhere else.
	 * @param endpoint the member's client URL, such as {@code http://10.0.0.1:2379}
	 * @return its status
	 */
	MemberStatus status(URI endpoint);

	/**
	 * The client URLs the template sends its calls to, in order.
	 * @return the endpoints in use
	 */
	List<URI> endpoints();

	/**
	 * The alarms raised in the cluster, such as {@code NOSPACE} (the database reached its
	 * quota: writes fail) or {@code CORRUPT}.
	 * @return the alarms, empty when none
	 */
	List<Alarm> alarms();

	/**
	 * Replace the endpoints in use with the client URLs of the current voting members, so
	 * that added members are used and removed ones are not. Learners and members that
	 * have not started yet are left out.
	 * @return the endpoints now in use
	 * @throws EtcdException if the member list cannot be read or names no usable URL, in
	 * which case the endpoints are left as they were
	 */
	List<URI> syncEndpoints();

}
