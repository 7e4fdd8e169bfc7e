package org.etcdspring.boot.autoconfigure.actuate;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.boot.actuate.EtcdEndpoint;
import org.etcdspring.boot.aot.EtcdEndpointRuntimeHints;
import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;
import org.etcdspring.boot.autoconfigure.EtcdLeaderAutoConfiguration;
import org.etcdspring.boot.autoconfigure.EtcdLeaderReadiness;
import org.etcdspring.boot.autoconfigure.EtcdLeaderReadinessAutoConfiguration;
import org.etcdspring.leader.EtcdLeaderRoles;

import org.springframework.beans.factory.ObjectProvider;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for the {@link EtcdEndpoint}.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
@AutoConfiguration(after = { EtcdAutoConfiguration.class, EtcdLeaderAutoConfiguration.class,
		EtcdLeaderReadinessAutoConfiguration.class })
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean(EtcdTemplate.class)
@ConditionalOnAvailableEndpoint(EtcdEndpoint.class)
@ImportRuntimeHints(EtcdEndpointRuntimeHints.class)
public final class EtcdEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EtcdEndpoint etcdEndpoint(EtcdTemplate etcdTemplate, ObjectProvider<EtcdLeaderRoles> roles,
			ObjectProvider<EtcdLeaderReadiness> readiness) {
		EtcdEndpoint endpoint = new EtcdEndpoint(etcdTemplate, etcdTemplate.cluster(), roles.getIfAvailable());
		readiness.ifAvailable((leaderReadiness) -> endpoint.setNotCampaigning(leaderReadiness::getPauseReason));
		return endpoint;
	}

}
