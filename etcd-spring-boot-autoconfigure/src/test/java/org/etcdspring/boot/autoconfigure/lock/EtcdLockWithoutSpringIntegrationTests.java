package org.etcdspring.boot.autoconfigure.lock;

import org.etcdspring.EtcdOperations;
import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;
import org.etcdspring.lock.EtcdLock;
import org.etcdspring.lock.EtcdMutex;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EtcdLockAutoConfiguration} with Spring Integration really absent: the
 * build runs this class with {@code spring-integration-core} removed from the class path,
 * so any class that needs it fails to load.
 */
class EtcdLockWithoutSpringIntegrationTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, EtcdAutoConfiguration.class,
				EtcdLockAutoConfiguration.class))
		.withPropertyValues("etcd.peers=" + etcd.endpoint())
		.withUserConfiguration(JobConfiguration.class);

	@Test
	void springIntegrationShouldBeAbsent() {
		assertThat(ClassUtils.isPresent("org.springframework.integration.support.locks.DistributedLock", null))
			.isFalse();
	}

	@Test
	void lockAnnotationAndTemplateLocksShouldWork() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasBean("etcdLockAdvisingPostProcessor")
				.doesNotHaveBean("etcdLockRegistry");
			assertThat(context.getBean(Job.class).run()).isTrue();
			EtcdMutex lock = context.getBean(EtcdOperations.class).lock("plain");
			assertThat(lock.getClass()).isEqualTo(EtcdMutex.class);
			assertThat(lock.tryLock()).isTrue();
			assertThat(lock.fencingToken()).isPositive();
			lock.unlock();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class JobConfiguration {

		@Bean
		Job job(EtcdOperations etcd) {
			return new Job(etcd);
		}

	}

	static class Job {

		private final EtcdOperations etcd;

		Job(EtcdOperations etcd) {
			this.etcd = etcd;
		}

		@EtcdLock(key = "'job'", waitTime = "5s")
		boolean run() {
			return this.etcd.lock("job").isHeldByCurrentThread();
		}

	}

}
