package org.etcdspring.lease;

import java.time.Duration;

/**
 * A granted lease: keys attached to it are deleted when it expires or is revoked.
 *
 * @param id the lease ID
 * @param ttl the time to live the server granted
 * @param grantSentNanos the {@link System#nanoTime()} at which the grant request was
 * sent: the server cannot keep the lease past this instant plus its time to live unless
 * it is renewed
 * @author etcd-spring
 * @since 0.1.0
 */
public record Lease(long id, Duration ttl, long grantSentNanos) {

	/**
	 * A lease whose time to live is counted from now.
	 * @param id the lease ID
	 * @param ttl the time to live the server granted
	 */
	public Lease(long id, Duration ttl) {
		this(id, ttl, System.nanoTime());
	}

	/**
	 * The lease ID in etcd's notation (lower-case hex), as {@code etcdctl} shows it.
	 * @return the hex ID
	 */
	public String hexId() {
		return Long.toHexString(this.id);
	}

}
