package org.etcdspring.leader;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import org.etcdspring.lock.EtcdLock;
import org.etcdspring.lock.EtcdLockAdvisingPostProcessor;
import org.etcdspring.lock.EtcdLocks;
import org.etcdspring.lock.EtcdMutex;
import org.etcdspring.support.Eventually;
import org.etcdspring.support.SharedEtcdTemplate;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link EtcdLeader @EtcdLeader} methods in a plain Spring application context
 * (no Spring Boot, no Spring Integration involved) against a real etcd process.
 */
class EtcdLeaderAnnotationIntegrationTests extends SharedEtcdTemplate {

	@Test
	void methodsShouldRunOnlyWhileThisInstanceLeadsTheirRole() throws Exception {
		Election election = template.election("reports");
		Leadership other = election.campaign("other instance", Duration.ofSeconds(5)).orElseThrow();
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(
				LeaderConfiguration.class, Reports.class)) {
			Reports reports = context.getBean(Reports.class);
			EtcdLeaderRoles roles = context.getBean(EtcdLeaderRoles.class);
			assertThat(roles.getRoles()).containsExactly("reports");
			Eventually.within(Duration.ofSeconds(5), () -> template.getPrefix(election.keyPrefix()).size() == 2);
			assertThat(roles.getLeadingRoles()).isEmpty();
			assertThat(reports.text()).isNull();
			assertThat(reports.optional()).isEmpty();
			reports.run();
			assertThat(reports.runs()).isZero();
			assertThatExceptionOfType(EtcdNotLeaderException.class).isThrownBy(reports::strict)
				.withMessageContaining("role 'reports'")
				.withMessageContaining("Reports.strict")
				.satisfies((ex) -> assertThat(ex.getRole()).isEqualTo("reports"));
			assertThat(reports.unguarded()).isEqualTo("ran");
			other.resign();
			Eventually.within(Duration.ofSeconds(6), () -> roles.isLeader("reports"));
			assertThat(roles.getLeadingRoles()).containsExactly("reports");
			assertThat(election.leader()).map(Leader::value).contains("this instance");
			assertThat(reports.text()).isEqualTo("ran");
			assertThat(reports.optional()).contains("ran");
			reports.run();
			assertThat(reports.runs()).isEqualTo(1);
			assertThat(reports.strict()).isEqualTo("ran");
			Leadership leadership = roles.leadership("reports").orElseThrow();
			assertThat(leadership.isLeader()).isTrue();
			assertThat(leadership.ownerKey()).startsWith(election.keyPrefix());
			assertThat(roles.leadership("unknown")).isEmpty();
		}
		// Closing the context resigned the role and revoked the session.
		assertThat(election.leader()).isEmpty();
	}

	@Test
	void closeShouldLetARunningInvocationFinishBeforeResigning() throws Exception {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(LeaderConfiguration.class,
				BlockingJob.class);
		ExecutorService executor = Executors.newCachedThreadPool();
		BlockingJob job = context.getBean(BlockingJob.class);
		try {
			EtcdLeaderRoles roles = context.getBean(EtcdLeaderRoles.class);
			Eventually.within(Duration.ofSeconds(5), () -> roles.isLeader("draining"));
			String key = roles.leadership("draining").orElseThrow().key();
			Future<String> invocation = executor.submit(job::run);
			assertThat(job.started().await(10, TimeUnit.SECONDS)).isTrue();
			Future<?> closing = executor.submit(context::close);
			// The stop has begun: no new invocation starts...
			Eventually.within(Duration.ofSeconds(5), () -> !roles.isRunning());
			assertThat(job.quick()).isNull();
			// ...but the running one keeps the role: the next leader must not start the
			// same job while it runs.
			long watchUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
			while (System.nanoTime() - watchUntil < 0) {
				assertThat(closing).isNotDone();
				assertThat(template.get(key)).as("leader key while the invocation runs").isNotNull();
				Thread.sleep(100);
			}
			assertThat(invocation).isNotDone();
			job.release().countDown();
			assertThat(Eventually.result(Duration.ofSeconds(10), invocation)).isEqualTo("finished");
			Eventually.result(Duration.ofSeconds(10), closing);
			assertThat(template.get(key)).isNull();
			assertThat(template.election("draining").leader()).isEmpty();
		}
		finally {
			job.release().countDown();
			context.close();
			executor.shutdownNow();
		}
	}

	@Test
	void closeShouldResignAfterABoundedWaitForAnInvocationThatNeverReturns() throws Exception {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(LeaderConfiguration.class,
				BlockingJob.class);
		ExecutorService executor = Executors.newCachedThreadPool();
		BlockingJob job = context.getBean(BlockingJob.class);
		try {
			EtcdLeaderRoles roles = context.getBean(EtcdLeaderRoles.class);
			Eventually.within(Duration.ofSeconds(5), () -> roles.isLeader("draining"));
			String key = roles.leadership("draining").orElseThrow().key();
			Future<String> invocation = executor.submit(job::run);
			assertThat(job.started().await(10, TimeUnit.SECONDS)).isTrue();
			long closeStarted = System.nanoTime();
			Future<?> closing = executor.submit(context::close);
			// Generous slack over the two bounds for a loaded machine.
			Duration bound = EtcdLeaderRoles.INVOCATIONS_TIMEOUT.plus(EtcdLeaderRoles.RESIGN_TIMEOUT).plusSeconds(10);
			Eventually.result(bound, closing);
			Duration took = Duration.ofNanos(System.nanoTime() - closeStarted);
			assertThat(took).isLessThan(bound);
			assertThat(invocation).isNotDone();
			assertThat(template.get(key)).isNull();
		}
		finally {
			job.release().countDown();
			context.close();
			executor.shutdownNow();
		}
	}

	@Test
	void skippedMethodReturningAPrimitiveShouldFailAtStartUp() {
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> new AnnotationConfigApplicationContext(LeaderConfiguration.class, Counter.class))
			.havingRootCause()
			.withMessageContaining("Counter.count()")
			.withMessageContaining("onNotLeader = THROW");
	}

	@Test
	void roleWithSlashShouldFailAtStartUp() {
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> new AnnotationConfigApplicationContext(LeaderConfiguration.class, Nested.class))
			.havingRootCause()
			.isInstanceOf(IllegalArgumentException.class)
			.withMessageContaining("'billing/eu'");
	}

	@Test
	void beanThatCannotBeProxiedShouldFailAtStartUpNamingIt() {
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> new AnnotationConfigApplicationContext(LeaderConfiguration.class, FinalJobs.class))
			.withMessageContaining("etcdLeaderAnnotationIntegrationTests.FinalJobs")
			.withStackTraceContaining(
					"The @EtcdLeader methods of bean 'etcdLeaderAnnotationIntegrationTests.FinalJobs'")
			.withStackTraceContaining("cannot be gated on leadership");
	}

	@Test
	void finalLeaderMethodShouldFailAtStartUpNamingTheBeanAndTheMethod() {
		// The class can be proxied, the method cannot be overridden: without the check
		// the context starts and the method runs on every instance, ungated.
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> new AnnotationConfigApplicationContext(LeaderConfiguration.class, FinalMethodJob.class))
			.withMessageContaining("etcdLeaderAnnotationIntegrationTests.FinalMethodJob")
			.withStackTraceContaining(
					"The @EtcdLeader methods of bean 'etcdLeaderAnnotationIntegrationTests.FinalMethodJob'")
			.withStackTraceContaining("cannot be gated on leadership")
			.withStackTraceContaining("FinalMethodJob.run() (final)");
	}

	@Test
	void privateAndStaticLeaderMethodsShouldFailAtStartUpNamingThem() {
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(
					() -> new AnnotationConfigApplicationContext(LeaderConfiguration.class, UninterceptableJobs.class))
			.havingRootCause()
			.withMessageContaining(
					"The @EtcdLeader methods of bean 'etcdLeaderAnnotationIntegrationTests.UninterceptableJobs'")
			.withMessageContaining("UninterceptableJobs.hidden(String) (private)")
			.withMessageContaining("UninterceptableJobs.shared() (static")
			.withMessageNotContaining("visible()");
	}

	@Test
	void jdkProxyShouldGateMethodsOfItsInterfacesEvenThroughABridge() throws Exception {
		Election election = template.election("jdk-proxied");
		Leadership other = election.campaign("other instance", Duration.ofSeconds(5)).orElseThrow();
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(
				LeaderConfiguration.class, JdkProxiedConfiguration.class)) {
			@SuppressWarnings("unchecked")
			Task<String> task = context.getBean("genericTask", Task.class);
			assertThat(AopUtils.isJdkDynamicProxy(task)).isTrue();
			// Task.run(Object) reaches GenericTask.run(String) through a bridge: gated.
			assertThat(task.run("input")).isNull();
		}
		finally {
			other.resign();
		}
	}

	@Test
	void leaderMethodMissingFromTheInterfacesOfAJdkProxyShouldFailAtStartUp() {
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> new AnnotationConfigApplicationContext(LeaderConfiguration.class,
					JdkProxiedExtraConfiguration.class))
			.havingRootCause()
			.withMessageContaining("The @EtcdLeader methods of bean 'extraTask'")
			.withMessageContaining("ExtraTask.extra() (not declared by an interface of the bean's JDK proxy)")
			.withMessageNotContaining("run(");
	}

	@Test
	void finalLockMethodShouldFailAtStartUpNamingTheBeanAndTheMethod() {
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> new AnnotationConfigApplicationContext(LockConfiguration.class, FinalLockedJob.class))
			.withMessageContaining("etcdLeaderAnnotationIntegrationTests.FinalLockedJob")
			.withStackTraceContaining(
					"The @EtcdLock methods of bean 'etcdLeaderAnnotationIntegrationTests.FinalLockedJob'")
			.withStackTraceContaining("cannot run under their lock")
			.withStackTraceContaining("FinalLockedJob.run() (final)");
	}

	@Test
	void leadershipShouldBeCheckedBeforeTheLockIsTaken() throws Exception {
		Election election = template.election("gated-lock");
		Leadership other = election.campaign("other instance", Duration.ofSeconds(5)).orElseThrow();
		EtcdLocks otherLocks = new EtcdLocks(template, template.leases(), template, template.locks().getPrefix());
		EtcdMutex taken = otherLocks.obtain("gated");
		taken.lock();
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(
				LeaderConfiguration.class, LockConfiguration.class, GatedJob.class)) {
			GatedJob job = context.getBean(GatedJob.class);
			// The lock is held elsewhere and the method does not wait: taking it first
			// would throw.
			assertThat(job.run()).isNull();
			assertThat(job.runs()).isZero();
			taken.unlock();
			other.resign();
			EtcdLeaderRoles roles = context.getBean(EtcdLeaderRoles.class);
			Eventually.within(Duration.ofSeconds(6), () -> roles.isLeader("gated-lock"));
			assertThat(job.run()).isEqualTo("ran");
			assertThat(job.runs()).isEqualTo(1);
		}
		finally {
			otherLocks.close();
			other.resign();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class LockConfiguration {

		@Bean
		static EtcdLockAdvisingPostProcessor etcdLockAdvisingPostProcessor() {
			return new EtcdLockAdvisingPostProcessor(template::locks);
		}

	}

	static class GatedJob {

		private final AtomicInteger runs = new AtomicInteger();

		@EtcdLeader("gated-lock")
		@EtcdLock(key = "'gated'")
		String run() {
			this.runs.incrementAndGet();
			return "ran";
		}

		int runs() {
			return this.runs.get();
		}

	}

	static class BlockingJob {

		private final CountDownLatch started = new CountDownLatch(1);

		private final CountDownLatch release = new CountDownLatch(1);

		@EtcdLeader("draining")
		String run() throws InterruptedException {
			this.started.countDown();
			return this.release.await(60, TimeUnit.SECONDS) ? "finished" : "never released";
		}

		@EtcdLeader("draining")
		String quick() {
			return "ran";
		}

		// Through the proxy: its own fields are not the target's.
		CountDownLatch started() {
			return this.started;
		}

		CountDownLatch release() {
			return this.release;
		}

	}

	interface Task<T> {

		@Nullable T run(T input);

	}

	static class GenericTask implements Task<String> {

		@Override
		@EtcdLeader("jdk-proxied")
		public @Nullable String run(String input) {
			return "ran " + input;
		}

	}

	static class ExtraTask extends GenericTask {

		@EtcdLeader("jdk-proxied")
		public void extra() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class JdkProxiedConfiguration {

		@Bean
		Object genericTask() {
			return jdkProxy(new GenericTask());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class JdkProxiedExtraConfiguration {

		@Bean
		Object extraTask() {
			return jdkProxy(new ExtraTask());
		}

	}

	// A proxy made before the post-processor runs (by an auto-proxy creator without
	// proxyTargetClass, say): the advice is added to it.
	static Object jdkProxy(Object target) {
		ProxyFactory factory = new ProxyFactory(target);
		factory.setInterfaces(Task.class);
		factory.setProxyTargetClass(false);
		return factory.getProxy();
	}

	static class FinalMethodJob {

		@EtcdLeader("final-method")
		final void run() {
		}

	}

	static class UninterceptableJobs {

		@EtcdLeader("uninterceptable")
		void visible() {
		}

		@EtcdLeader("uninterceptable")
		private void hidden(String reason) {
		}

		@EtcdLeader("uninterceptable")
		static void shared() {
		}

	}

	static class FinalLockedJob {

		@EtcdLock(key = "'final-method'")
		final void run() {
		}

	}

	static final class FinalJobs {

		@EtcdLeader("final")
		void run() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LeaderConfiguration {

		@Bean(destroyMethod = "close")
		ParticipantSession participantSession() {
			return new ParticipantSession(template.leases(), Duration.ofSeconds(5));
		}

		@Bean
		EtcdLeaderRoles etcdLeaderRoles(ParticipantSession participantSession) {
			return new EtcdLeaderRoles(template, participantSession, "this instance");
		}

		@Bean
		static EtcdLeaderAdvisingPostProcessor etcdLeaderAdvisingPostProcessor(ObjectProvider<EtcdLeaderRoles> roles) {
			return new EtcdLeaderAdvisingPostProcessor(roles::getObject);
		}

	}

	static class Reports {

		private final AtomicInteger runs = new AtomicInteger();

		@EtcdLeader("reports")
		String text() {
			return "ran";
		}

		@EtcdLeader("reports")
		Optional<String> optional() {
			return Optional.of("ran");
		}

		@EtcdLeader("reports")
		void run() {
			this.runs.incrementAndGet();
		}

		@EtcdLeader(value = "reports", onNotLeader = EtcdLeader.NotLeader.THROW)
		String strict() {
			return "ran";
		}

		String unguarded() {
			return "ran";
		}

		// Through the proxy: its own fields are not the target's.
		int runs() {
			return this.runs.get();
		}

	}

	static class Counter {

		@EtcdLeader("count")
		int count() {
			return 1;
		}

	}

	static class Nested {

		@EtcdLeader("billing/eu")
		void bill() {
		}

	}

}
