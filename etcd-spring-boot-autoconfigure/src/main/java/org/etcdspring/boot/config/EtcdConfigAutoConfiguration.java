package org.etcdspring.boot.config;

import org.etcdspring.EtcdOperations;
import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the live reload of configuration imported from etcd.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
@AutoConfiguration(after = EtcdAutoConfiguration.class)
@ConditionalOnBean(EtcdOperations.class)
@ConditionalOnProperty(name = "etcd.config.reload", havingValue = "true", matchIfMissing = true)
public final class EtcdConfigAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EtcdConfigWatcher etcdConfigWatcher(EtcdOperations etcd, ConfigurableEnvironment environment,
			ApplicationEventPublisher publisher) {
		return new EtcdConfigWatcher(etcd, environment, publisher);
	}

}
