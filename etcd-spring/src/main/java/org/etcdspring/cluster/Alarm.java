package org.etcdspring.cluster;

/**
 * An alarm raised by a member.
 *
 * @param memberId the member that raised it
 * @param type the alarm, such as {@code NOSPACE} or {@code CORRUPT}
 * @author etcd-spring
 * @since 0.1.0
 */
public record Alarm(long memberId, String type) {

	/**
	 * Whether the alarm stops the cluster from serving writes or trusted reads.
	 * @return {@code true} for {@code NOSPACE} and {@code CORRUPT}
	 */
	public boolean isSevere() {
		return "NOSPACE".equals(this.type) || "CORRUPT".equals(this.type);
	}

}
