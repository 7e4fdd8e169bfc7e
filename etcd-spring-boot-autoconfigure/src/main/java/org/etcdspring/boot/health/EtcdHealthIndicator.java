package org.etcdspring.boot.health;

import java.util.List;
import java.util.Optional;

import org.etcdspring.cluster.Alarm;
import org.etcdspring.cluster.ClusterOperations;
import org.etcdspring.cluster.Member;
import org.etcdspring.cluster.MemberStatus;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.Assert;

/**
 * {@link org.springframework.boot.health.contributor.HealthIndicator} for an etcd
 * cluster: UP when a member answers and the cluster has a leader and no {@code NOSPACE}
 * or {@code CORRUPT} alarm; DOWN otherwise, with the reason. Each check's calls have a
 * short deadline of their own.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdHealthIndicator extends AbstractHealthIndicator {

	private final ClusterOperations cluster;

	/**
	 * Create an indicator.
	 * @param cluster the cluster operations, typically with a short timeout
	 */
	public EtcdHealthIndicator(ClusterOperations cluster) {
		super("etcd health check failed");
		Assert.notNull(cluster, "'cluster' must not be null");
		this.cluster = cluster;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		MemberStatus status = this.cluster.status();
		List<Member> members = this.cluster.members();
		List<Alarm> alarms = this.cluster.alarms();
		builder.withDetail("endpoints", this.cluster.endpoints().stream().map(Object::toString).toList())
			.withDetail("members", members.size())
			.withDetail("version", status.version())
			.withDetail("dbSize", status.dbSize())
			.withDetail("raftIndex", status.raftIndex());
		Optional<Member> leader = members.stream().filter(Member::leader).findFirst();
		leader.ifPresent((member) -> builder.withDetail("leader", member.name() + " (" + member.hexId() + ")"));
		List<String> severe = alarms.stream().filter(Alarm::isSevere).map(Alarm::type).distinct().toList();
		if (!status.hasLeader()) {
			builder.down().withDetail("reason", "the cluster has no leader");
		}
		else if (!severe.isEmpty()) {
			builder.down().withDetail("reason", "alarm raised: " + String.join(", ", severe));
		}
		else {
			builder.up();
		}
		if (!alarms.isEmpty()) {
			builder.withDetail("alarms", alarms.stream().map(Alarm::type).toList());
		}
	}

}
