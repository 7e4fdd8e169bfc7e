package org.etcdspring.lock;

import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;

import org.etcdspring.support.EtcdAdmin;
import org.etcdspring.support.SharedEtcdTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.integration.support.locks.DistributedLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link EtcdLockRegistry}: the behaviour list of Spring Integration's
 * {@code RedisLockRegistryTests} and {@code JdbcLockRegistryTests}, against a real etcd
 * process. Each registry has a session of its own, like a process of its own.
 */
class EtcdLockRegistryIntegrationTests extends SharedEtcdTemplate {

	private static final AtomicInteger prefixes = new AtomicInteger();

	private final List<EtcdLockRegistry> registries = new CopyOnWriteArrayList<>();

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final String prefix = "registry" + prefixes.incrementAndGet() + "/";

	@AfterEach
	void destroyRegistries() throws InterruptedException {
		this.registries.forEach(EtcdLockRegistry::destroy);
		this.executor.shutdownNow();
		assertThat(this.executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		assertThat(template.getPrefix(this.prefix)).isEmpty();
	}

	private EtcdLockRegistry registry() {
		EtcdLockRegistry registry = new EtcdLockRegistry(template, template.leases(), template, this.prefix);
		this.registries.add(registry);
		return registry;
	}

	private int keys(String name) {
		return template.getPrefix(this.prefix + name + "/").size();
	}

	@Test
	void lock() {
		EtcdLockRegistry registry = registry();
		for (int i = 0; i < 10; i++) {
			Lock lock = registry.obtain("foo");
			lock.lock();
			try {
				assertThat(keys("foo")).isEqualTo(1);
			}
			finally {
				lock.unlock();
			}
		}
		assertThat(keys("foo")).isZero();
		registry.expireUnusedOlderThan(-1000);
		assertThat(registry.getLocks().cachedLockCount()).isZero();
	}

	@Test
	void lockInterruptibly() throws Exception {
		EtcdLockRegistry registry = registry();
		for (int i = 0; i < 10; i++) {
			Lock lock = registry.obtain("foo");
			lock.lockInterruptibly();
			try {
				assertThat(keys("foo")).isEqualTo(1);
			}
			finally {
				lock.unlock();
			}
		}
	}

	@Test
	void reentrantLock() throws Exception {
		EtcdLockRegistry registry = registry();
		for (int i = 0; i < 10; i++) {
			Lock lock1 = registry.obtain("foo");
			lock1.lock();
			try {
				Lock lock2 = registry.obtain("foo");
				assertThat(lock2).isSameAs(lock1);
				lock2.lockInterruptibly();
				try {
					assertThat(keys("foo")).isEqualTo(1);
				}
				finally {
					lock2.unlock();
				}
				assertThat(((EtcdMutex) lock1).isHeld()).isTrue();
			}
			finally {
				lock1.unlock();
			}
		}
		assertThat(keys("foo")).isZero();
	}

	@Test
	void twoLocks() throws Exception {
		EtcdLockRegistry registry = registry();
		Lock lock1 = registry.obtain("foo");
		lock1.lockInterruptibly();
		try {
			Lock lock2 = registry.obtain("bar");
			assertThat(lock2).isNotSameAs(lock1);
			lock2.lockInterruptibly();
			lock2.unlock();
		}
		finally {
			lock1.unlock();
		}
	}

	@Test
	void twoThreadsSecondFailsToGetLock() throws Exception {
		EtcdLockRegistry registry = registry();
		Lock lock1 = registry.obtain("foo");
		lock1.lockInterruptibly();
		Future<Object> result = this.executor.submit(() -> {
			Lock lock2 = registry.obtain("foo");
			boolean locked = lock2.tryLock(200, TimeUnit.MILLISECONDS);
			try {
				lock2.unlock();
			}
			catch (IllegalStateException ex) {
				return ex;
			}
			return locked;
		});
		Object outcome = result.get(10, TimeUnit.SECONDS);
		lock1.unlock();
		assertThat(outcome).isInstanceOf(IllegalStateException.class);
		assertThat(((Exception) outcome).getMessage()).contains("You do not own lock at");
	}

	@Test
	void twoThreads() throws Exception {
		EtcdLockRegistry registry = registry();
		Lock lock1 = registry.obtain("foo");
		AtomicBoolean locked = new AtomicBoolean();
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch proceed = new CountDownLatch(1);
		lock1.lockInterruptibly();
		Future<?> second = this.executor.submit(() -> {
			Lock lock2 = registry.obtain("foo");
			started.countDown();
			lock2.lockInterruptibly();
			try {
				proceed.await(10, TimeUnit.SECONDS);
				locked.set(true);
			}
			finally {
				lock2.unlock();
			}
			return null;
		});
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		Thread.sleep(200);
		assertThat(locked).isFalse();
		lock1.unlock();
		proceed.countDown();
		second.get(10, TimeUnit.SECONDS);
		assertThat(locked).isTrue();
	}

	@Test
	void twoThreadsDifferentRegistries() throws Exception {
		EtcdLockRegistry registry1 = registry();
		EtcdLockRegistry registry2 = registry();
		Lock lock1 = registry1.obtain("foo");
		AtomicBoolean locked = new AtomicBoolean();
		CountDownLatch queued = new CountDownLatch(1);
		lock1.lockInterruptibly();
		Future<?> second = this.executor.submit(() -> {
			Lock lock2 = registry2.obtain("foo");
			queued.countDown();
			lock2.lockInterruptibly();
			try {
				locked.set(true);
			}
			finally {
				lock2.unlock();
			}
			return null;
		});
		assertThat(queued.await(10, TimeUnit.SECONDS)).isTrue();
		EtcdMutexIntegrationTests.awaitTrue(() -> keys("foo") == 2, Duration.ofSeconds(10));
		assertThat(locked).isFalse();
		lock1.unlock();
		second.get(10, TimeUnit.SECONDS);
		assertThat(locked).isTrue();
	}

	@Test
	void twoThreadsWrongOneUnlocks() throws Exception {
		EtcdLockRegistry registry = registry();
		Lock lock = registry.obtain("foo");
		lock.lockInterruptibly();
		Future<Object> result = this.executor.submit(() -> {
			try {
				lock.unlock();
			}
			catch (IllegalStateException ex) {
				return ex;
			}
			return null;
		});
		Object outcome = result.get(10, TimeUnit.SECONDS);
		assertThat(outcome).isInstanceOf(IllegalStateException.class);
		assertThat(((Exception) outcome).getMessage()).contains("You do not own lock at");
		assertThat(((EtcdMutex) lock).isHeld()).isTrue();
		lock.unlock();
	}

	@Test
	void expireTwoRegistries() throws Exception {
		EtcdLockRegistry registry1 = registry();
		EtcdLockRegistry registry2 = registry();
		EtcdDistributedLock lock1 = registry1.obtain("foo");
		Lock lock2 = registry2.obtain("foo");
		assertThat(lock1.tryLock()).isTrue();
		assertThat(lock2.tryLock()).isFalse();
		EtcdAdmin.revokeLease(etcd.endpoint(), lock1.holder().lease());
		EtcdMutexIntegrationTests.awaitTrue(lock2::tryLock, Duration.ofSeconds(10));
		// A reentrant attempt asks no etcd: it fails once the loss is known, which is at
		// once.
		EtcdMutexIntegrationTests.awaitTrue(() -> !lock1.isHeld(), Duration.ofSeconds(2));
		assertThat(lock1.tryLock()).isFalse();
		assertThatExceptionOfType(ConcurrentModificationException.class).isThrownBy(lock1::unlock);
		lock2.unlock();
	}

	@Test
	void unlockAfterTheLockExpiredShouldThrowConcurrentModificationException() throws Exception {
		EtcdLockRegistry registry = registry();
		EtcdDistributedLock lock = registry.obtain("foo");
		lock.lock();
		EtcdAdmin.revokeLease(etcd.endpoint(), lock.holder().lease());
		EtcdMutexIntegrationTests.awaitTrue(() -> !lock.isHeld(), Duration.ofSeconds(10));
		assertThatExceptionOfType(ConcurrentModificationException.class).isThrownBy(lock::unlock)
			.withMessageContaining("the data it protects may have been changed");
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void renewLock() throws Exception {
		EtcdLockRegistry registry = registry();
		registry.setTtl(Duration.ofSeconds(30));
		EtcdDistributedLock lock = registry.obtain("foo");
		lock.lock();
		try {
			long lease = lock.holder().lease();
			// etcd reports whole seconds left.
			Thread.sleep(2100);
			assertThat(template.leases().timeToLive(lease, false).orElseThrow().remaining())
				.isLessThanOrEqualTo(Duration.ofSeconds(28));
			registry.renewLock("foo");
			assertThat(template.leases().timeToLive(lease, false).orElseThrow().remaining())
				.isGreaterThanOrEqualTo(Duration.ofSeconds(29));
			long token = lock.fencingToken();
			registry.renewLock("foo", Duration.ofSeconds(12));
			assertThat(lock.fencingToken()).isEqualTo(token);
			assertThat(template.leases().timeToLive(lock.holder().lease(), false).orElseThrow().granted())
				.isEqualTo(Duration.ofSeconds(12));
		}
		finally {
			lock.unlock();
		}
	}

	@Test
	void renewLockNotOwned() {
		EtcdLockRegistry registry = registry();
		assertThatIllegalStateException().isThrownBy(() -> registry.renewLock("foo")).withMessageContaining("not held");
		assertThatIllegalStateException().isThrownBy(() -> registry.renewLock("foo", Duration.ofSeconds(5)));
	}

	@Test
	void lockWithCustomTtl() throws Exception {
		EtcdLockRegistry registry = registry();
		registry.setTtl(Duration.ofSeconds(2));
		for (int i = 0; i < 3; i++) {
			DistributedLock lock = registry.obtain("foo");
			lock.lock(Duration.ofSeconds(5));
			try {
				long lease = ((EtcdMutex) lock).holder().lease();
				assertThat(template.leases().timeToLive(lease, false).orElseThrow().granted())
					.isEqualTo(Duration.ofSeconds(5));
			}
			finally {
				lock.unlock();
			}
		}
	}

	@Test
	void tryLockWithCustomTtlShouldOutliveTheDefaultTtl() throws Exception {
		EtcdLockRegistry registry = registry();
		registry.setTtl(Duration.ofSeconds(2));
		DistributedLock lock = registry.obtain("foo");
		assertThat(lock.tryLock(Duration.ofMillis(100), Duration.ofSeconds(3))).isTrue();
		try {
			// A live holder keeps its lock past any TTL: the lease is kept alive.
			Thread.sleep(3500);
			assertThat(((EtcdMutex) lock).isHeld()).isTrue();
		}
		finally {
			lock.unlock();
		}
	}

	@Test
	void cacheCapacity() throws Exception {
		EtcdLockRegistry registry = registry();
		registry.setCacheCapacity(2);
		Lock a = registry.obtain("a");
		Lock b = registry.obtain("b");
		a.lock();
		b.lock();
		assertThatExceptionOfType(CannotAcquireLockException.class).isThrownBy(() -> registry.obtain("c"))
			.withMessageContaining("held in this process");
		b.unlock();
		Lock c = registry.obtain("c");
		assertThat(registry.getLocks().cachedLockCount()).isEqualTo(2);
		c.lock();
		assertThatIllegalStateException().isThrownBy(b::lock).withMessageContaining("dropped from the cache");
		assertThatIllegalStateException().isThrownBy(b::tryLock);
		c.unlock();
		assertThat(registry.obtain("b")).isNotSameAs(b);
		a.unlock();
	}

	@Test
	void executeLocked() throws Exception {
		EtcdLockRegistry registry = registry();
		EtcdLockRegistry other = registry();
		boolean heldInside = registry.executeLocked("foo", () -> registry.obtain("foo").isHeldByCurrentThread());
		assertThat(heldInside).isTrue();
		assertThat(keys("foo")).isZero();
		EtcdDistributedLock held = other.obtain("foo");
		held.lock();
		try {
			assertThatExceptionOfType(TimeoutException.class)
				.isThrownBy(() -> registry.executeLocked("foo", Duration.ofMillis(200), () -> {
				}));
		}
		finally {
			held.unlock();
		}
		registry.executeLocked("foo", Duration.ofSeconds(5), () -> assertThat(keys("foo")).isEqualTo(1));
	}

	@Test
	void lockNamesShouldBeStringsWithoutSlash() {
		EtcdLockRegistry registry = registry();
		assertThatIllegalArgumentException().isThrownBy(() -> registry.obtain("a/b"))
			.withMessageContaining("must not contain '/'")
			.withMessageContaining("a lock named 'a' would wait on the keys of this one");
		assertThatIllegalArgumentException().isThrownBy(() -> registry.obtain(42)).withMessageContaining("lock names");
	}

	@Test
	void registryOnSharedLocksShouldHandOutTheTemplatesLocks() {
		EtcdLockRegistry registry = new EtcdLockRegistry(template.locks());
		assertThat(registry.obtain("shared")).isSameAs(template.lock("shared"));
		registry.destroy();
		assertThat(template.lock("shared").tryLock()).isTrue();
		template.lock("shared").unlock();
	}

}
