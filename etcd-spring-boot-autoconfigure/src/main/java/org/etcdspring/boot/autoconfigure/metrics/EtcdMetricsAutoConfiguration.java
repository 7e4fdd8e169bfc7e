package org.etcdspring.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;
import org.etcdspring.boot.autoconfigure.EtcdLeaderAutoConfiguration;
import org.etcdspring.leader.EtcdLeaderRoles;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the etcd client's Micrometer meters. The request timer
 * ({@code etcd.client.requests}) comes from the observation of each call.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
@AutoConfiguration(after = { EtcdAutoConfiguration.class, EtcdLeaderAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(EtcdTemplate.class)
public final class EtcdMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EtcdClientMetrics etcdClientMetrics(EtcdTemplate etcdTemplate) {
		return new EtcdClientMetrics(etcdTemplate);
	}

	@Bean
	@ConditionalOnMissingBean
	EtcdCacheMetrics etcdCacheMetrics(EtcdTemplate etcdTemplate) {
		return new EtcdCacheMetrics(etcdTemplate);
	}

	@Bean
	@ConditionalOnMissingBean
	EtcdLockMetrics etcdLockMetrics(EtcdTemplate etcdTemplate) {
		return new EtcdLockMetrics(etcdTemplate.locks());
	}

	@Bean
	@ConditionalOnBean({ EtcdLeaderRoles.class, MeterRegistry.class })
	@ConditionalOnMissingBean
	EtcdLeaderMetrics etcdLeaderMetrics(EtcdLeaderRoles roles, MeterRegistry registry) {
		return new EtcdLeaderMetrics(roles, registry);
	}

}
