package org.etcdspring.boot.autoconfigure.lock;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.etcdspring.EtcdOperations;
import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;
import org.etcdspring.lock.EtcdDistributedLock;
import org.etcdspring.lock.EtcdLock;
import org.etcdspring.lock.EtcdLockLostEvent;
import org.etcdspring.lock.EtcdLockRegistry;
import org.etcdspring.lock.EtcdMutex;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.support.locks.DefaultLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EtcdLockAutoConfiguration}, against a real etcd process.
 */
class EtcdLockAutoConfigurationTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, EtcdAutoConfiguration.class,
				EtcdLockAutoConfiguration.class))
		.withPropertyValues("etcd.peers=" + etcd.endpoint());

	@Test
	void registryShouldHandOutTheLocksOfTheTemplateWithTheConfiguredPrefixAndTtl() {
		this.contextRunner.withPropertyValues("etcd.lock.prefix=app-locks/", "etcd.lock.ttl=7s").run((context) -> {
			EtcdLockRegistry registry = context.getBean(EtcdLockRegistry.class);
			EtcdOperations etcd = context.getBean(EtcdOperations.class);
			EtcdDistributedLock lock = registry.obtain("billing");
			assertThat(lock).isSameAs(etcd.lock("billing"));
			lock.lock();
			try {
				assertThat(lock.ownerKey()).startsWith("app-locks/billing/");
				assertThat(etcd.leases().timeToLive(lock.holder().lease(), false).orElseThrow().granted())
					.isEqualTo(Duration.ofSeconds(7));
			}
			finally {
				lock.unlock();
			}
		});
	}

	@Test
	void lockAnnotationShouldRunMethodsUnderTheLock() {
		this.contextRunner.withUserConfiguration(LockedServiceConfiguration.class).run((context) -> {
			LockedService service = context.getBean(LockedService.class);
			assertThat(AopUtils.isAopProxy(service)).isTrue();
			assertThat(service.run("nightly")).isTrue();
			assertThat(context.getBean(EtcdOperations.class).locks().heldLocks()).isEmpty();
		});
	}

	@Test
	void finalLockMethodShouldFailStartupNamingTheBeanAndTheMethod() {
		this.contextRunner.withBean("finalLockedService", FinalLockedService.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("@EtcdLock methods of bean 'finalLockedService'")
				.hasMessageContaining("FinalLockedService.run(String) (final)");
		});
	}

	@Test
	void withoutSpringIntegrationTheAdvisorShouldStayAndTheRegistryShouldBackOff() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.integration"))
			.withUserConfiguration(LockedServiceConfiguration.class)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(EtcdLockRegistry.class).hasBean("etcdLockAdvisingPostProcessor");
				assertThat(context.getBean(LockedService.class).run("without-si")).isTrue();
			});
	}

	@Test
	void userLockRegistryShouldMakeTheRegistryBackOff() {
		this.contextRunner.withBean(LockRegistry.class, DefaultLockRegistry::new)
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdLockRegistry.class)
				.hasSingleBean(LockRegistry.class));
	}

	@Test
	void lostLockShouldBePublishedAsAnApplicationEvent() {
		this.contextRunner.withUserConfiguration(LossListenerConfiguration.class).run((context) -> {
			EtcdOperations etcd = context.getBean(EtcdOperations.class);
			EtcdMutex lock = etcd.lock("doomed");
			lock.lock();
			etcd.delete(lock.ownerKey());
			List<EtcdLockLostEvent> events = context.getBean(LossListenerConfiguration.class).events;
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (events.isEmpty() && System.nanoTime() - deadline < 0) {
				Thread.sleep(20);
			}
			assertThat(events).singleElement().extracting(EtcdLockLostEvent::getLockName).isEqualTo("doomed");
			assertThat(lock.isHeld()).isFalse();
		});
	}

	@Test
	void lockTtlBelowOneSecondShouldFailStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("etcd.lock.ttl=500ms").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("etcd.lock.ttl");
		});
	}

	@Test
	void withoutAnEtcdClientShouldBackOff() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(EtcdLockAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean("etcdLockAdvisingPostProcessor")
				.doesNotHaveBean(EtcdLockRegistry.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class LockedServiceConfiguration {

		@Bean
		LockedService lockedService(EtcdOperations etcd) {
			return new LockedService(etcd);
		}

	}

	// Public: a class-based proxy made in the filtered class loader of a test must see
	// it.
	public static class LockedService {

		private final EtcdOperations etcd;

		LockedService(EtcdOperations etcd) {
			this.etcd = etcd;
		}

		@EtcdLock(key = "#job")
		public boolean run(String job) {
			return this.etcd.lock(job).isHeldByCurrentThread();
		}

	}

	public static class FinalLockedService {

		@EtcdLock(key = "#job")
		public final String run(String job) {
			return job;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LossListenerConfiguration {

		final List<EtcdLockLostEvent> events = new CopyOnWriteArrayList<>();

		@Bean
		ApplicationListener<EtcdLockLostEvent> lossListener() {
			return this.events::add;
		}

	}

}
