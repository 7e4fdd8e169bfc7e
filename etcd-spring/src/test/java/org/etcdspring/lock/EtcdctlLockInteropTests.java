package org.etcdspring.lock;

import java.time.Duration;

import org.etcdspring.support.Etcdctl;
import org.etcdspring.support.SharedEtcdTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our locks and {@code etcdctl lock} (etcd's own {@code concurrency.Mutex}) exclude each
 * other, against a real etcd process and Debian's {@code etcdctl}.
 */
class EtcdctlLockInteropTests extends SharedEtcdTemplate {

	private final EtcdLocks locks = new EtcdLocks(template, template.leases(), template, "interop/");

	@AfterEach
	void closeLocks() {
		this.locks.close();
	}

	@Test
	void whileEtcdctlHoldsTheLockTryLockShouldFailAndLockShouldWaitForTheProcessToEnd() throws Exception {
		EtcdMutex lock = this.locks.obtain("held-by-etcdctl");
		try (Etcdctl etcdctl = Etcdctl.start(etcd.endpoint(), "lock", lock.keyPrefix().replaceAll("/$", ""), "sleep",
				"3")) {
			EtcdMutexIntegrationTests.awaitTrue(() -> lock.holder() != null, Duration.ofSeconds(10));
			assertThat(lock.tryLock()).isFalse();
			long start = System.nanoTime();
			lock.lock();
			try {
				Duration waited = Duration.ofNanos(System.nanoTime() - start);
				assertThat(etcdctl.isAlive()).isFalse();
				assertThat(etcdctl.exitValue()).isZero();
				assertThat(waited).isGreaterThan(Duration.ofMillis(1500));
				assertThat(lock.holder().key()).isEqualTo(lock.ownerKey());
			}
			finally {
				lock.unlock();
			}
		}
	}

	@Test
	void whileWeHoldTheLockEtcdctlShouldWaitUntilWeUnlock() throws Exception {
		EtcdMutex lock = this.locks.obtain("held-by-us");
		lock.lock();
		try (Etcdctl etcdctl = Etcdctl.start(etcd.endpoint(), "lock", lock.keyPrefix().replaceAll("/$", ""), "echo",
				"acquired")) {
			EtcdMutexIntegrationTests.awaitTrue(() -> template.getPrefix(lock.keyPrefix()).size() == 2,
					Duration.ofSeconds(10));
			assertThat(etcdctl.waitFor(Duration.ofSeconds(1))).isFalse();
			assertThat(etcdctl.output()).doesNotContain("acquired");
			lock.unlock();
			assertThat(etcdctl.waitFor(Duration.ofSeconds(10))).isTrue();
			assertThat(etcdctl.exitValue()).isZero();
			assertThat(etcdctl.output()).contains("acquired");
		}
		finally {
			if (lock.isHeldByCurrentThread()) {
				lock.unlock();
			}
		}
	}

}
