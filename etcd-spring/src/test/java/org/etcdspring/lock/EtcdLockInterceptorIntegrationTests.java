package org.etcdspring.lock;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.etcdspring.EtcdOperations;
import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.support.Eventually;
import org.etcdspring.test.EtcdMember;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link EtcdLock @EtcdLock} and {@link EtcdLockInterceptor} in Spring
 * contexts, against a real etcd process. Each context stands for one application node
 * with a client of its own.
 */
class EtcdLockInterceptorIntegrationTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	private static final AtomicInteger prefixes = new AtomicInteger();

	private static EtcdTransport transport;

	private static String prefix;

	private final List<AnnotationConfigApplicationContext> contexts = new ArrayList<>();

	private final ExecutorService executor = Executors.newCachedThreadPool();

	@BeforeAll
	static void createTransport() {
		transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build();
	}

	@AfterAll
	static void closeTransport() {
		transport.close();
	}

	@AfterEach
	void closeContexts() throws InterruptedException {
		this.executor.shutdownNow();
		assertThat(this.executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		this.contexts.forEach(AnnotationConfigApplicationContext::close);
	}

	private AnnotationConfigApplicationContext node(Class<?>... configurations) {
		if (this.contexts.isEmpty()) {
			prefix = "locked" + prefixes.incrementAndGet() + "/";
		}
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(configurations);
		this.contexts.add(context);
		return context;
	}

	private Jobs jobs(AnnotationConfigApplicationContext node) {
		return node.getBean(Jobs.class);
	}

	private EtcdOperations etcd(AnnotationConfigApplicationContext node) {
		return node.getBean(EtcdOperations.class);
	}

	@Test
	void keyExpressionShouldNameTheLockFromTheArguments() {
		AnnotationConfigApplicationContext node = node(LockedConfiguration.class);
		assertThat(AopUtils.isAopProxy(jobs(node))).isTrue();
		assertThat(jobs(node).ship(7)).startsWith(prefix + "order-7/");
		assertThat(etcd(node).lock("order-7").isLocked()).isFalse();
		assertThat(etcd(node).locks().heldLocks()).isEmpty();
	}

	@Test
	void keyExpressionShouldSeeBeans() {
		AnnotationConfigApplicationContext node = node(LockedConfiguration.class);
		assertThat(jobs(node).bill("acme")).isEqualTo("customer-acme");
	}

	@Test
	void defaultKeyShouldBeTheQualifiedMethodName() {
		AnnotationConfigApplicationContext node = node(LockedConfiguration.class);
		assertThat(jobs(node).nightly()).isEqualTo(Jobs.class.getName() + ".nightly");
	}

	@Test
	void busyLockShouldThrowByDefault() {
		AnnotationConfigApplicationContext node = node(LockedConfiguration.class);
		AnnotationConfigApplicationContext other = node(LockedConfiguration.class);
		EtcdMutex held = etcd(other).lock("busy");
		held.lock();
		try {
			assertThatExceptionOfType(EtcdLockNotAcquiredException.class).isThrownBy(() -> jobs(node).mustRun())
				.withMessageContaining("'busy'")
				.satisfies((ex) -> assertThat(ex.getLockName()).isEqualTo("busy"));
			assertThat(jobs(node).runs()).hasValue(0);
		}
		finally {
			held.unlock();
		}
		jobs(node).mustRun();
		assertThat(jobs(node).runs()).hasValue(1);
	}

	@Test
	void busyLockShouldSkipWhenAskedTo() {
		AnnotationConfigApplicationContext node = node(LockedConfiguration.class);
		AnnotationConfigApplicationContext other = node(LockedConfiguration.class);
		EtcdMutex held = etcd(other).lock("busy");
		held.lock();
		try {
			assertThat(jobs(node).skipped()).isNull();
			assertThat(jobs(node).skippedOptional()).isEmpty();
			jobs(node).skippedVoid();
			assertThat(jobs(node).runs()).hasValue(0);
		}
		finally {
			held.unlock();
		}
		assertThat(jobs(node).skipped()).isEqualTo("ran");
		assertThat(jobs(node).skippedOptional()).contains("ran");
		jobs(node).skippedVoid();
		assertThat(jobs(node).runs()).hasValue(3);
	}

	@Test
	void waitTimeShouldWaitForTheLock() throws Exception {
		AnnotationConfigApplicationContext node = node(LockedConfiguration.class);
		AnnotationConfigApplicationContext other = node(LockedConfiguration.class);
		EtcdMutex held = etcd(other).lock("busy");
		held.lock();
		Future<String> waited = this.executor.submit(() -> jobs(node).waited());
		Thread.sleep(500);
		assertThat(waited).isNotDone();
		held.unlock();
		assertThat(waited.get(10, TimeUnit.SECONDS)).isEqualTo("waited");
	}

	@Test
	void holdAtLeastShouldKeepTheLockAfterAQuickReturn() throws Exception {
		AnnotationConfigApplicationContext node = node(LockedConfiguration.class);
		AnnotationConfigApplicationContext other = node(LockedConfiguration.class);
		long start = System.nanoTime();
		jobs(node).report();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		EtcdMutex report = etcd(other).lock("report");
		assertThat(report.tryLock()).isFalse();
		assertThat(jobs(node).reportSkippingWhenBusy()).isNull();
		assertThat(report.tryLock(15, TimeUnit.SECONDS)).isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(2500));
		report.unlock();
	}

	@Test
	void concurrentCallsOnOneKeyShouldRunOneAfterTheOther() throws Exception {
		AnnotationConfigApplicationContext node = node(LockedConfiguration.class);
		AnnotationConfigApplicationContext other = node(LockedConfiguration.class);
		List<long[]> intervals = new CopyOnWriteArrayList<>();
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> calls = new ArrayList<>();
		for (Jobs jobs : List.of(jobs(node), jobs(node), jobs(other), jobs(other))) {
			calls.add(this.executor.submit(() -> {
				start.await();
				jobs.serial(intervals);
				return null;
			}));
		}
		start.countDown();
		for (Future<?> call : calls) {
			call.get(30, TimeUnit.SECONDS);
		}
		List<long[]> ordered = intervals.stream()
			.sorted(Comparator.comparingLong((long[] interval) -> interval[0]))
			.toList();
		assertThat(ordered).hasSize(4);
		for (int i = 1; i < ordered.size(); i++) {
			assertThat(ordered.get(i)[0]).isGreaterThanOrEqualTo(ordered.get(i - 1)[1]);
		}
	}

	@Test
	void scheduledMethodShouldRunUnderTheLock() throws Exception {
		AnnotationConfigApplicationContext node = node(LockedConfiguration.class, ScheduledConfiguration.class);
		ScheduledJob job = node.getBean(ScheduledJob.class);
		assertThat(job.runsUnderLock().await(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void lockLostWhileRunningShouldInterruptWhenAskedToAndBeCounted() throws Exception {
		AnnotationConfigApplicationContext node = node(LockedConfiguration.class);
		CountDownLatch started = new CountDownLatch(1);
		Future<String> outcome = this.executor.submit(() -> jobs(node).interruptible(started));
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		EtcdMutexIntegrationTests.awaitTrue(() -> etcd(node).locks().heldLocks().size() == 1, Duration.ofSeconds(5));
		etcd(node).delete(etcd(node).locks().heldLocks().get(0).ownerKey());
		assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("interrupted");
		assertThat(etcd(node).locks().lostLockCount()).isEqualTo(1);
		assertThat(etcd(node).lock("watched").isLocked()).isFalse();
		assertThat(jobs(node).ship(8)).startsWith(prefix + "order-8/");
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void unlockThatEtcdDoesNotAnswerShouldBeLoggedAndTheMethodsResultReturned(boolean holdAtLeast) throws Exception {
		AnnotationConfigApplicationContext node = node(PausingConfiguration.class);
		PausingJob job = node.getBean(PausingJob.class);
		EtcdMember member = etcd.cluster().member(0);
		Logger logger = (Logger) LoggerFactory.getLogger("org.etcdspring");
		ListAppender<ILoggingEvent> log = new ListAppender<>();
		log.start();
		logger.addAppender(log);
		String ownerKey;
		try {
			// The method stops the member and returns: the unlock gets no answer.
			ownerKey = holdAtLeast ? job.pauseEtcdHoldingAtLeast() : job.pauseEtcd();
		}
		finally {
			member.resume();
			logger.detachAppender(log);
		}
		assertThat(ownerKey).startsWith(prefix + "paused/");
		// Gone once etcd is back, not with the shared lease, which this node keeps alive.
		Eventually.within(Duration.ofSeconds(30), () -> etcd(node).get(ownerKey) == null);
		assertThat(log.list).anySatisfy((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.WARN);
			assertThat(event.getFormattedMessage()).contains("lock 'paused'", "failed");
		});
		long sharedLease = Long.parseUnsignedLong(ownerKey.substring(ownerKey.lastIndexOf('/') + 1), 16);
		assertThat(etcd(node).leases().timeToLive(sharedLease, false)).isPresent();
		assertThat(etcd(node).lock("paused").tryLock(10, TimeUnit.SECONDS)).isTrue();
		etcd(node).lock("paused").unlock();
	}

	@Test
	void invalidUsesShouldFailClearly() {
		AnnotationConfigApplicationContext node = node(LockedConfiguration.class);
		assertThatIllegalStateException().isThrownBy(() -> jobs(node).cannotSkip())
			.withMessageContaining("SKIP cannot skip a method that returns int");
		assertThatIllegalArgumentException().isThrownBy(() -> jobs(node).slashed())
			.withMessageContaining("must not contain '/'");
		assertThatIllegalStateException().isThrownBy(() -> jobs(node).badWait())
			.withMessageContaining("invalid waitTime 'soon'");
	}

	@Configuration(proxyBeanMethods = false)
	static class LockedConfiguration {

		@Bean
		static EtcdLockAdvisingPostProcessor etcdLockAdvisingPostProcessor(ObjectProvider<EtcdOperations> etcd) {
			return new EtcdLockAdvisingPostProcessor(() -> etcd.getObject().locks());
		}

		@Bean(destroyMethod = "close")
		EtcdTemplate etcdTemplate() {
			EtcdTemplate template = new EtcdTemplate(transport);
			template.setLockPrefix(prefix);
			return template;
		}

		@Bean
		Jobs jobs(EtcdOperations etcd) {
			return new Jobs(etcd);
		}

		@Bean
		LockNames lockNames() {
			return new LockNames();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PausingConfiguration {

		@Bean
		static EtcdLockAdvisingPostProcessor etcdLockAdvisingPostProcessor(ObjectProvider<EtcdOperations> etcd) {
			return new EtcdLockAdvisingPostProcessor(() -> etcd.getObject().locks());
		}

		// A short request timeout: the unlock fails within a second.
		@Bean(destroyMethod = "close")
		EtcdTransport shortTimeoutTransport() {
			return EtcdTransport.builder(List.of(URI.create(etcd.endpoint())))
				.requestTimeout(Duration.ofSeconds(1))
				.build();
		}

		@Bean(destroyMethod = "close")
		EtcdTemplate etcdTemplate(EtcdTransport shortTimeoutTransport) {
			EtcdTemplate template = new EtcdTemplate(shortTimeoutTransport);
			template.setLockPrefix(prefix);
			return template;
		}

		@Bean
		PausingJob pausingJob(EtcdOperations etcd) {
			return new PausingJob(etcd);
		}

	}

	static class PausingJob {

		private final EtcdOperations etcd;

		PausingJob(EtcdOperations etcd) {
			this.etcd = etcd;
		}

		@EtcdLock(key = "'paused'")
		String pauseEtcd() {
			return pauseEtcdHolding(this.etcd.lock("paused"));
		}

		@EtcdLock(key = "'paused'", holdAtLeast = "3s")
		String pauseEtcdHoldingAtLeast() {
			return pauseEtcdHolding(this.etcd.lock("paused"));
		}

		private static String pauseEtcdHolding(EtcdMutex lock) {
			assertThat(lock.isHeldByCurrentThread()).isTrue();
			EtcdLockInterceptorIntegrationTests.etcd.cluster().member(0).pause();
			return lock.ownerKey();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class ScheduledConfiguration {

		@Bean
		ScheduledJob scheduledJob(EtcdOperations etcd) {
			return new ScheduledJob(etcd);
		}

	}

	static class LockNames {

		public String forCustomer(String customer) {
			return "customer-" + customer;
		}

	}

	static class Jobs {

		private final AtomicInteger runs = new AtomicInteger();

		private final EtcdOperations etcd;

		Jobs(EtcdOperations etcd) {
			this.etcd = etcd;
		}

		// Fields of a class-based proxy are its own: read them through methods.
		AtomicInteger runs() {
			return this.runs;
		}

		@EtcdLock(key = "'order-' + #id")
		String ship(long id) {
			EtcdMutex lock = this.etcd.lock("order-" + id);
			assertThat(lock.isHeldByCurrentThread()).isTrue();
			return lock.ownerKey();
		}

		@EtcdLock(key = "@lockNames.forCustomer(#customer)")
		String bill(String customer) {
			return this.etcd.locks().heldLocks().get(0).name();
		}

		@EtcdLock
		String nightly() {
			return this.etcd.locks().heldLocks().get(0).name();
		}

		@EtcdLock(key = "'busy'")
		void mustRun() {
			this.runs.incrementAndGet();
		}

		@EtcdLock(key = "'busy'", onNotAcquired = EtcdLock.OnNotAcquired.SKIP)
		String skipped() {
			this.runs.incrementAndGet();
			return "ran";
		}

		@EtcdLock(key = "'busy'", onNotAcquired = EtcdLock.OnNotAcquired.SKIP)
		Optional<String> skippedOptional() {
			this.runs.incrementAndGet();
			return Optional.of("ran");
		}

		@EtcdLock(key = "'busy'", onNotAcquired = EtcdLock.OnNotAcquired.SKIP)
		void skippedVoid() {
			this.runs.incrementAndGet();
		}

		@EtcdLock(key = "'busy'", waitTime = "10s")
		String waited() {
			return "waited";
		}

		@EtcdLock(key = "'report'", holdAtLeast = "3s")
		void report() {
		}

		@EtcdLock(key = "'report'", onNotAcquired = EtcdLock.OnNotAcquired.SKIP)
		Boolean reportSkippingWhenBusy() {
			return true;
		}

		@EtcdLock(key = "'serial'", waitTime = "${serial.wait:20s}")
		void serial(List<long[]> intervals) throws InterruptedException {
			long start = System.nanoTime();
			Thread.sleep(200);
			intervals.add(new long[] { start, System.nanoTime() });
		}

		@EtcdLock(key = "'watched'", interruptOnLoss = true)
		String interruptible(CountDownLatch started) {
			started.countDown();
			try {
				Thread.sleep(20_000);
				return "slept";
			}
			catch (InterruptedException ex) {
				return "interrupted";
			}
		}

		@EtcdLock(onNotAcquired = EtcdLock.OnNotAcquired.SKIP)
		int cannotSkip() {
			return 1;
		}

		@EtcdLock(key = "'a/b'")
		void slashed() {
		}

		@EtcdLock(key = "'bad'", waitTime = "soon")
		void badWait() {
		}

	}

	static class ScheduledJob {

		private final CountDownLatch runsUnderLock = new CountDownLatch(2);

		private final EtcdOperations etcd;

		ScheduledJob(EtcdOperations etcd) {
			this.etcd = etcd;
		}

		CountDownLatch runsUnderLock() {
			return this.runsUnderLock;
		}

		@Scheduled(fixedDelay = 50)
		@EtcdLock(key = "'scheduled'", onNotAcquired = EtcdLock.OnNotAcquired.SKIP)
		public void run() {
			if (this.etcd.lock("scheduled").isHeldByCurrentThread()) {
				this.runsUnderLock.countDown();
			}
		}

	}

}
