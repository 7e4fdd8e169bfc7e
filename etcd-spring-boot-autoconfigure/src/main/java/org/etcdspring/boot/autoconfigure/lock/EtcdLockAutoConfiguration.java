package org.etcdspring.boot.autoconfigure.lock;

import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;
import org.etcdspring.core.EtcdOperations;
import org.etcdspring.lock.EtcdLock;
import org.etcdspring.lock.EtcdLockInterceptor;
import org.etcdspring.lock.EtcdLockRegistry;

import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for etcd distributed locks: the {@link EtcdLock @EtcdLock} advisor
 * (which needs no Spring Integration) and, with Spring Integration on the class path, an
 * {@link EtcdLockRegistry}. Both use the locks of the {@link EtcdOperations} bean, so
 * they hand out the same lock objects as {@link EtcdOperations#lock(String)}.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
@AutoConfiguration(after = EtcdAutoConfiguration.class)
@ConditionalOnClass(EtcdLockInterceptor.class)
@ConditionalOnBean(EtcdOperations.class)
public final class EtcdLockAutoConfiguration {

	/**
	 * The order of the {@code @EtcdLock} advisor: ahead of advisors of the default order,
	 * such as {@code @Transactional}'s, so that a transaction commits before its lock is
	 * released.
	 */
	static final int ADVISOR_ORDER = Ordered.LOWEST_PRECEDENCE - 1000;

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean(name = "etcdLockAdvisor")
	static Advisor etcdLockAdvisor(ObjectProvider<EtcdOperations> etcd, BeanFactory beanFactory) {
		// Resolved on first use: an infrastructure bean must not create the client early.
		EtcdLockInterceptor interceptor = new EtcdLockInterceptor(() -> etcd.getObject().locks());
		interceptor.setBeanFactory(beanFactory);
		DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(
				new AnnotationMatchingPointcut(null, EtcdLock.class, true), interceptor);
		advisor.setOrder(ADVISOR_ORDER);
		return advisor;
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
