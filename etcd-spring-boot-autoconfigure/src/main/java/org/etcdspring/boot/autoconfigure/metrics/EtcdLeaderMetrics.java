package org.etcdspring.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.etcdspring.leader.EtcdLeaderRoles;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * The {@code etcd.leader} gauge: 1 while this instance leads a role, 0 otherwise, one per
 * role found on the application's beans. Registered once every bean exists, so that every
 * {@code @EtcdLeader} role is known.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdLeaderMetrics implements SmartInitializingSingleton {

	private final EtcdLeaderRoles roles;

	private final MeterRegistry registry;

	public EtcdLeaderMetrics(EtcdLeaderRoles roles, MeterRegistry registry) {
		this.roles = roles;
		this.registry = registry;
	}

	@Override
	public void afterSingletonsInstantiated() {
		for (String role : this.roles.getRoles()) {
			Gauge.builder("etcd.leader", this.roles, (roles) -> roles.isLeader(role) ? 1 : 0)
				.tag("role", role)
				.description("Whether this instance leads the role (1) or not (0)")
				.register(this.registry);
		}
	}

}
