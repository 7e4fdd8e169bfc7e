package org.etcdspring.boot.autoconfigure.health;

import java.time.Duration;

import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;
import org.etcdspring.boot.health.EtcdHealthIndicator;
import org.etcdspring.cluster.DefaultClusterOperations;
import org.etcdspring.core.transport.EtcdTransport;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for {@link EtcdHealthIndicator};
 * {@code management.health.etcd.enabled=false} turns it off.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
@AutoConfiguration(after = EtcdAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(EtcdTransport.class)
@ConditionalOnEnabledHealthIndicator("etcd")
public final class EtcdHealthContributorAutoConfiguration {

	/**
	 * A health check answers quickly, also when a member hangs.
	 */
	private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);

	@Bean
	@ConditionalOnMissingBean(name = "etcdHealthIndicator")
	EtcdHealthIndicator etcdHealthIndicator(EtcdTransport etcdTransport) {
		Duration timeout = (etcdTransport.requestTimeout().compareTo(HEALTH_TIMEOUT) < 0)
				? etcdTransport.requestTimeout() : HEALTH_TIMEOUT;
		return new EtcdHealthIndicator(new DefaultClusterOperations(etcdTransport, timeout));
	}

}
