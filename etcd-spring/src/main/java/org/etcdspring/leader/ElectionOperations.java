package org.etcdspring.leader;

/**
 * Where elections come from: the factory that {@link EtcdLeaderInitiator} and
 * {@link EtcdLeaderRoles} campaign through. Implemented by
 * {@code org.etcdspring.EtcdOperations}, whose elections share one key prefix and session
 * time to live.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
@FunctionalInterface
public interface ElectionOperations {

	/**
	 * The leader election of a role, with the key layout of etcd's
	 * {@code concurrency.Election}.
	 * @param role the role; must not contain {@code '/'}
	 * @return the election (nothing is read or written yet)
	 */
	Election election(String role);

}
