package org.etcdspring.lease;

import java.time.Duration;

/**
 * A granted lease: keys attached to it are deleted when it expires or is revoked.
 *
 * @param id the lease ID
 * @param ttl the time to live the server granted
 * @author etcd-spring
 * @since 0.1.0
 */
public record Lease(long id, Duration ttl) {

	/**
	 * The lease ID in etcd's notation (lower-case hex), as {@code etcdctl} shows it.
	 * @return the hex ID
	 */
	public String hexId() {
		return Long.toHexString(this.id);
	}

}
