package org.etcdspring.leader;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.EtcdPreconditionFailedException;

/**
 * Thrown when an action needs leadership of a role that this participant does not (or no
 * longer) hold.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdNotLeaderException extends EtcdPreconditionFailedException {

	private final String role;

	public EtcdNotLeaderException(String role, String message, @Nullable String key) {
		super(message, null, key, null, null);
		this.role = role;
	}

	/**
	 * The role whose leadership was needed.
	 * @return the role
	 */
	public String getRole() {
		return this.role;
	}

}
