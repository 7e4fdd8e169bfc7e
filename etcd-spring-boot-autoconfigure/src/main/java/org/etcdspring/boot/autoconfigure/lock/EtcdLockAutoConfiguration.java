package org.etcdspring.boot.autoconfigure.lock;

import org.etcdspring.EtcdOperations;
import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;
import org.etcdspring.lock.EtcdLock;
import org.etcdspring.lock.EtcdLockAdvisingPostProcessor;
import org.etcdspring.lock.EtcdLockRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for etcd distributed locks: the {@link EtcdLock @EtcdLock}
 * post-processor (which needs no Spring Integration) and, with Spring Integration on the
 * class path, an {@link EtcdLockRegistry}. Both use the locks of the
 * {@link EtcdOperations} bean, so they hand out the same lock objects as
 * {@link EtcdOperations#lock(String)}.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
@AutoConfiguration(after = EtcdAutoConfiguration.class)
@ConditionalOnClass(EtcdLockAdvisingPostProcessor.class)
@ConditionalOnBean(EtcdOperations.class)
public final class EtcdLockAutoConfiguration {

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static EtcdLockAdvisingPostProcessor etcdLockAdvisingPostProcessor(ObjectProvider<EtcdOperations> etcd) {
		// Resolved on first use: an infrastructure bean must not create the client early.
		return new EtcdLockAdvisingPostProcessor(() -> etcd.getObject().locks());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.integration.support.locks.LockRegistry")
	static class LockRegistryConfiguration {

		@Bean
		@ConditionalOnMissingBean(type = "org.springframework.integration.support.locks.LockRegistry")
		EtcdLockRegistry etcdLockRegistry(EtcdOperations etcd) {
			return new EtcdLockRegistry(etcd.locks());
		}

	}

}
