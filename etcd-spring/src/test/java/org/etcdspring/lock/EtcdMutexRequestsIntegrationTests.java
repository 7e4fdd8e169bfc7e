package org.etcdspring.lock;

import java.net.URI;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdRequestObserver;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.support.SharedEtcdTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What one uncontended lock cycle asks etcd, counted on the transport against a real etcd
 * process: once the session and the watch of the holds run, taking a free lock is one
 * transaction (put if nobody queues) and giving it back one plain delete, as with etcd's
 * own lock service; no lease, range or extra watch request per cycle.
 */
class EtcdMutexRequestsIntegrationTests extends SharedEtcdTemplate {

	/**
	 * The requests of the test's thread: keep-alives and watches run on threads of their
	 * own.
	 */
	private final List<String> requests = new CopyOnWriteArrayList<>();

	private volatile @Nullable Thread testThread;

	private EtcdTransport countingTransport;

	private EtcdLocks locks;

	@BeforeEach
	void openLocks() {
		this.testThread = Thread.currentThread();
		this.countingTransport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint())))
			.requestObserver(new EtcdRequestObserver() {

				@Override
				public <R> R observe(String operation, @Nullable String key, Supplier<R> call) {
					if (Thread.currentThread() == EtcdMutexRequestsIntegrationTests.this.testThread) {
						EtcdMutexRequestsIntegrationTests.this.requests.add(operation + " " + key);
					}
					return call.get();
				}

			})
			.build();
		EtcdTemplate template = new EtcdTemplate(this.countingTransport);
		this.locks = new EtcdLocks(template, template.leases(), template, "requests/");
	}

	@AfterEach
	void closeLocks() {
		this.locks.close();
		this.countingTransport.close();
	}

	@Test
	void anUncontendedTryLockAndUnlockShouldBeOneTransactionAndOneDelete() {
		EtcdMutex lock = this.locks.obtain("try");
		Runnable tryLock = () -> assertThat(lock.tryLock()).isTrue();
		assertEveryCycleIsOneTransactionAndOneDelete(lock, tryLock, "requests/try/");
	}

	@Test
	void anUncontendedLockAndUnlockShouldBeOneTransactionAndOneDelete() {
		EtcdMutex lock = this.locks.obtain("lock");
		assertEveryCycleIsOneTransactionAndOneDelete(lock, lock::lock, "requests/lock/");
	}

	@Test
	void anUncontendedCycleOfTheLockRegistryShouldBeOneTransactionAndOneDelete() {
		EtcdLockRegistry registry = new EtcdLockRegistry(this.locks);
		EtcdDistributedLock lock = registry.obtain("registry");
		assertEveryCycleIsOneTransactionAndOneDelete(lock, lock::lock, "requests/registry/");
	}

	@Test
	void unlockingAfterTheKeyWasDeletedShouldStillReportTheLoss() {
		EtcdMutex lock = this.locks.obtain("deleted");
		cycle(lock, lock::lock);
		lock.lock();
		String key = lock.ownerKey();
		// Deleted by someone else: the unlock finds it gone, or the watch told before.
		template.delete(key);
		assertThatExceptionOfType(ConcurrentModificationException.class).isThrownBy(lock::unlock);
		assertThat(this.locks.lostLockCount()).isEqualTo(1);
		assertThat(lock.isHeld()).isFalse();
	}

	/**
	 * Take the lock, check it is held, give it back.
	 * @return the hold's key
	 */
	/**
	 * After a first cycle (which may open the session and the watch of holds), each
	 * uncontended cycle sends one transaction to take the lock and one delete to give it
	 * back, and leaves no key behind.
	 */
	private void assertEveryCycleIsOneTransactionAndOneDelete(EtcdMutex lock, Runnable take, String keyPrefix) {
		cycle(lock, take);
		for (int i = 0; i < 3; i++) {
			this.requests.clear();
			String key = cycle(lock, take);
			assertThat(this.requests).hasSize(2).element(1).isEqualTo("delete " + key);
			assertThat(this.requests.get(0)).startsWith("txn ");
		}
		assertThat(template.getPrefix(keyPrefix)).isEmpty();
	}

	private String cycle(EtcdMutex lock, Runnable take) {
		take.run();
		String key;
		try {
			assertThat(lock.isHeldByCurrentThread()).isTrue();
			key = lock.ownerKey();
		}
		finally {
			lock.unlock();
		}
		assertThat(lock.isHeld()).isFalse();
		return key;
	}

}
