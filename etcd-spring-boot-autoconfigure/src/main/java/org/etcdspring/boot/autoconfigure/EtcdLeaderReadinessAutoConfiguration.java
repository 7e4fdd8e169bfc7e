package org.etcdspring.boot.autoconfigure;

import org.etcdspring.leader.EtcdLeaderRoles;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of {@link EtcdLeaderReadiness}: with
 * {@code etcd.leader.follow-readiness=true}, an instance campaigns only once it accepts
 * traffic, gives up its roles when it stops accepting traffic, and campaigns again once
 * it accepts traffic.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
@AutoConfiguration(after = EtcdLeaderAutoConfiguration.class)
@ConditionalOnBean(EtcdLeaderRoles.class)
@ConditionalOnProperty(name = "etcd.leader.follow-readiness", havingValue = "true")
public final class EtcdLeaderReadinessAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EtcdLeaderReadiness etcdLeaderReadiness(ObjectProvider<EtcdLeaderRoles> roles,
			ObjectProvider<EtcdLeaderInitiators> initiators, ObjectProvider<ApplicationAvailability> availability) {
		return new EtcdLeaderReadiness(roles, initiators, availability);
	}

}
