package org.etcdspring.lock;

import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.etcdspring.core.KeyValue;
import org.etcdspring.core.TxnOp;
import org.etcdspring.support.EtcdAdmin;
import org.etcdspring.support.SharedEtcdTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link EtcdMutex} and {@link EtcdLocks} without Spring Integration's API,
 * against a real etcd process. Each {@code EtcdLocks} stands for one process.
 */
class EtcdMutexIntegrationTests extends SharedEtcdTemplate {

	private static final AtomicInteger prefixes = new AtomicInteger();

	private final List<EtcdLocks> opened = new CopyOnWriteArrayList<>();

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final String prefix = "mutex" + prefixes.incrementAndGet() + "/";

	@AfterEach
	void closeLocks() throws InterruptedException {
		this.opened.forEach(EtcdLocks::close);
		this.executor.shutdownNow();
		assertThat(this.executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	private EtcdLocks process() {
		EtcdLocks locks = new EtcdLocks(template, template.leases(), template, this.prefix);
		this.opened.add(locks);
		return locks;
	}

	@Test
	void tryLockWithTheLongestWaitShouldNotOverflow() throws Exception {
		EtcdMutex lock = template.lock("longest-wait");
		assertThat(lock.tryLock(Long.MAX_VALUE, TimeUnit.MILLISECONDS)).isTrue();
		try {
			assertThat(lock.isHeld()).isTrue();
			assertThat(lock.tryLock(Long.MAX_VALUE, TimeUnit.DAYS)).isTrue();
			lock.unlock();
		}
		finally {
			lock.unlock();
		}
	}

	@Test
	void heldLockShouldBeAKeyInTheLayoutOfEtcdsMutex() {
		EtcdMutex lock = process().obtain("layout");
		lock.lock();
		try {
			KeyValue holder = lock.holder();
			assertThat(holder).isNotNull();
			assertThat(holder.key()).isEqualTo(this.prefix + "layout/" + Long.toHexString(holder.lease()))
				.isEqualTo(lock.ownerKey());
			assertThat(holder.valueAsString()).isEmpty();
			assertThat(holder.createRevision()).isEqualTo(lock.fencingToken());
			assertThat(lock.isHeld()).isTrue();
			assertThat(lock.isHeldByCurrentThread()).isTrue();
			assertThat(lock.keyPrefix()).isEqualTo(this.prefix + "layout/");
		}
		finally {
			lock.unlock();
		}
		assertThat(lock.holder()).isNull();
		assertThat(lock.isHeld()).isFalse();
		assertThatIllegalStateException().isThrownBy(lock::fencingToken).withMessageContaining("not held");
	}

	@Test
	void tryLockShouldCostOneRoundTripWhetherTheLockIsFreeOrNot() {
		EtcdLocks first = process();
		EtcdLocks second = process();
		// Open both sessions first: granting a lease is a call of its own.
		first.obtain("warm-up").tryLock();
		second.obtain("warm-up").tryLock();
		long before = EtcdAdmin.kvCalls(etcd.endpoint());
		assertThat(first.obtain("one-trip").tryLock()).isTrue();
		assertThat(EtcdAdmin.kvCalls(etcd.endpoint()) - before).isEqualTo(1);
		before = EtcdAdmin.kvCalls(etcd.endpoint());
		assertThat(second.obtain("one-trip").tryLock()).isFalse();
		assertThat(EtcdAdmin.kvCalls(etcd.endpoint()) - before).isEqualTo(1);
		assertThat(template.getPrefix(this.prefix + "one-trip/")).hasSize(1);
	}

	@Test
	void fencingTokenShouldGrowWithEveryHold() {
		EtcdMutex lock = process().obtain("tokens");
		long previous = 0;
		for (int i = 0; i < 3; i++) {
			lock.lock();
			try {
				assertThat(lock.fencingToken()).isGreaterThan(previous);
				previous = lock.fencingToken();
			}
			finally {
				lock.unlock();
			}
		}
	}

	@Test
	void fencedWriteShouldApplyWhileTheLockIsHeld() {
		EtcdMutex lock = process().obtain("fenced");
		lock.lock();
		try {
			assertThat(template.txn().ifHeld(lock).then(TxnOp.put(this.prefix + "data", "v1")).commit().succeeded())
				.isTrue();
		}
		finally {
			lock.unlock();
		}
		assertThat(template.get(this.prefix + "data")).isEqualTo("v1");
		assertThatIllegalStateException().isThrownBy(() -> template.txn().ifHeld(lock));
	}

	@Test
	void waiterShouldWatchThePredecessorInsteadOfPolling() throws Exception {
		EtcdMutex held = process().obtain("no-poll");
		EtcdMutex waiting = process().obtain("no-poll");
		held.lock();
		Future<Long> acquired = this.executor.submit(() -> {
			waiting.lock();
			try {
				return System.nanoTime();
			}
			finally {
				waiting.unlock();
			}
		});
		awaitKeys(this.prefix + "no-poll/", 2);
		Thread.sleep(300);
		long before = EtcdAdmin.kvCalls(etcd.endpoint());
		Thread.sleep(1500);
		assertThat(EtcdAdmin.kvCalls(etcd.endpoint())).isEqualTo(before);
		assertThat(acquired).isNotDone();
		long released = System.nanoTime();
		held.unlock();
		assertThat(Duration.ofNanos(acquired.get(10, TimeUnit.SECONDS) - released)).isLessThan(Duration.ofSeconds(2));
	}

	@Test
	void waiterThatTimesOutShouldLeaveTheQueue() throws Exception {
		EtcdMutex held = process().obtain("timeout");
		EtcdMutex waiting = process().obtain("timeout");
		held.lock();
		try {
			long start = System.nanoTime();
			assertThat(waiting.tryLock(400, TimeUnit.MILLISECONDS)).isFalse();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
			assertThat(template.getPrefix(this.prefix + "timeout/")).extracting(KeyValue::key)
				.containsExactly(held.ownerKey());
		}
		finally {
			held.unlock();
		}
		assertThat(waiting.tryLock()).isTrue();
		waiting.unlock();
	}

	@Test
	void interruptedWaiterShouldLeaveTheQueue() throws Exception {
		EtcdMutex held = process().obtain("interrupt");
		EtcdMutex waiting = process().obtain("interrupt");
		held.lock();
		try {
			CompletableFuture<Throwable> outcome = new CompletableFuture<>();
			Thread thread = new Thread(() -> {
				try {
					waiting.lockInterruptibly();
					outcome.complete(null);
				}
				catch (Throwable ex) {
					outcome.complete(ex);
				}
			});
			thread.start();
			awaitKeys(this.prefix + "interrupt/", 2);
			thread.interrupt();
			assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
			assertThat(template.getPrefix(this.prefix + "interrupt/")).hasSize(1);
			assertThat(waiting.isLocked()).isFalse();
		}
		finally {
			held.unlock();
		}
	}

	@Test
	void uninterruptibleLockShouldKeepWaitingAndKeepTheInterrupt() throws Exception {
		EtcdMutex held = process().obtain("uninterruptible");
		EtcdMutex waiting = process().obtain("uninterruptible");
		held.lock();
		CompletableFuture<Boolean> interruptedAfterLock = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			waiting.lock();
			interruptedAfterLock.complete(Thread.currentThread().isInterrupted());
			waiting.unlock();
		});
		thread.start();
		awaitKeys(this.prefix + "uninterruptible/", 2);
		thread.interrupt();
		Thread.sleep(300);
		assertThat(interruptedAfterLock).isNotDone();
		held.unlock();
		assertThat(interruptedAfterLock.get(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void revokedLeaseShouldLoseTheLockWithinOneKeepAliveInterval() throws Exception {
		EtcdLocks locks = process();
		locks.setTtl(Duration.ofSeconds(6));
		List<EtcdLockLostEvent> published = new CopyOnWriteArrayList<>();
		List<EtcdLockLostEvent> heard = new CopyOnWriteArrayList<>();
		CountDownLatch announced = new CountDownLatch(2);
		locks.setApplicationEventPublisher((Object event) -> {
			published.add((EtcdLockLostEvent) event);
			announced.countDown();
		});
		locks.addLockListener((event) -> {
			heard.add(event);
			announced.countDown();
		});
		EtcdMutex lock = locks.obtain("revoked");
		lock.lock();
		long token = lock.fencingToken();
		long start = System.nanoTime();
		EtcdAdmin.revokeLease(etcd.endpoint(), lock.holder().lease());
		// Keep-alives run every TTL / 3 = 2 s; the owner key's watch is faster still.
		Duration keepAliveInterval = Duration.ofSeconds(2);
		awaitTrue(() -> !lock.isHeld(), keepAliveInterval);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(keepAliveInterval);
		assertThat(announced.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(published).singleElement().satisfies((event) -> {
			assertThat(event.getLockName()).isEqualTo("revoked");
			assertThat(event.getFencingToken()).isEqualTo(token);
			assertThat(event.getLock()).isSameAs(lock);
		});
		assertThat(heard).hasSize(1);
		assertThat(locks.lostLockCount()).isEqualTo(1);
		assertThat(locks.heldLocks()).isEmpty();
		assertThat(template.txn().ifHeld(lock).then(TxnOp.put(this.prefix + "fenced", "late")).commit().succeeded())
			.isFalse();
		assertThat(template.get(this.prefix + "fenced")).isNull();
		assertThatExceptionOfType(ConcurrentModificationException.class).isThrownBy(lock::unlock)
			.withMessageContaining("was lost before it was unlocked");
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.tryLock()).isTrue();
		lock.unlock();
	}

	@Test
	void deletedOwnerKeyShouldLoseTheLock() throws Exception {
		EtcdLocks locks = process();
		EtcdMutex lock = locks.obtain("deleted");
		lock.lock();
		template.delete(lock.ownerKey());
		awaitTrue(() -> !lock.isHeld(), Duration.ofSeconds(2));
		awaitTrue(() -> locks.lostLockCount() == 1, Duration.ofSeconds(2));
		assertThatExceptionOfType(ConcurrentModificationException.class).isThrownBy(lock::unlock)
			.withMessageContaining("deleted");
	}

	@Test
	void reentrantAcquisitionShouldNestAndFailOnceTheLockIsLost() throws Exception {
		EtcdMutex lock = process().obtain("reentrant");
		lock.lock();
		assertThat(lock.tryLock()).isTrue();
		lock.unlock();
		assertThat(lock.isHeld()).isTrue();
		template.delete(lock.ownerKey());
		awaitTrue(() -> !lock.isHeld(), Duration.ofSeconds(2));
		assertThat(lock.tryLock()).isFalse();
		assertThatIllegalStateException().isThrownBy(lock::lock).withMessageContaining("unlock it before");
		assertThatExceptionOfType(ConcurrentModificationException.class).isThrownBy(lock::unlock);
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void ownerValueShouldLetTheSameValuePassAndMakeOthersWait() throws Exception {
		EtcdMutex first = process().obtain("job", "batch-42");
		EtcdMutex second = process().obtain("job", "batch-42");
		EtcdMutex other = process().obtain("job", "batch-43");
		assertThat(first.tryLock()).isTrue();
		assertThat(second.tryLock()).isTrue();
		assertThat(first.holder().valueAsString()).isEqualTo("batch-42");
		assertThat(other.tryLock()).isFalse();
		Future<Boolean> otherLocked = this.executor.submit(() -> other.tryLock(20, TimeUnit.SECONDS));
		awaitKeys(this.prefix + "job/", 3);
		first.unlock();
		Thread.sleep(300);
		assertThat(otherLocked).isNotDone();
		second.unlock();
		assertThat(otherLocked.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(other.holder().valueAsString()).isEqualTo("batch-43");
		// The holder's value differs now: the first value waits.
		assertThat(first.tryLock()).isFalse();
	}

	@Test
	void ownerValueShouldNotOvertakeAWaiterOfAnotherValue() throws Exception {
		EtcdMutex holder = process().obtain("fair", "x");
		EtcdMutex waiter = process().obtain("fair", "y");
		EtcdMutex late = process().obtain("fair", "x");
		holder.lock();
		Future<Boolean> waited = this.executor.submit(() -> waiter.tryLock(20, TimeUnit.SECONDS));
		awaitKeys(this.prefix + "fair/", 2);
		assertThat(late.tryLock()).isFalse();
		holder.unlock();
		assertThat(waited.get(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void customTtlShouldPutTheHoldOnALeaseOfItsOwnAndRevokeItOnUnlock() throws Exception {
		EtcdLocks locks = process();
		EtcdMutex shared = locks.obtain("shared-lease");
		shared.lock();
		EtcdMutex lock = locks.obtain("own-lease");
		lock.lock(Duration.ofSeconds(7));
		long ownLease = lock.holder().lease();
		try {
			assertThat(ownLease).isNotEqualTo(shared.holder().lease());
			assertThat(template.leases().timeToLive(ownLease, false).orElseThrow().granted())
				.isEqualTo(Duration.ofSeconds(7));
		}
		finally {
			lock.unlock();
			shared.unlock();
		}
		assertThat(template.leases().timeToLive(ownLease, false)).isEmpty();
	}

	@Test
	void renewWithTtlShouldMoveTheHoldKeepingItsToken() {
		EtcdMutex lock = process().obtain("moved");
		lock.lock();
		try {
			long token = lock.fencingToken();
			lock.renew(Duration.ofSeconds(9));
			KeyValue holder = lock.holder();
			assertThat(holder.createRevision()).isEqualTo(token);
			assertThat(template.leases().timeToLive(holder.lease(), false).orElseThrow().granted())
				.isEqualTo(Duration.ofSeconds(9));
			lock.renew();
			assertThat(lock.isHeld()).isTrue();
		}
		finally {
			lock.unlock();
		}
		assertThat(lock.holder()).isNull();
	}

	@Test
	void unlockKeepingTheLockShouldHoldItOffUntilTheTimeIsUp() throws Exception {
		EtcdMutex lock = process().obtain("kept");
		EtcdMutex other = process().obtain("kept");
		lock.lock();
		long start = System.nanoTime();
		lock.unlock(Duration.ofSeconds(3));
		assertThat(lock.isLocked()).isFalse();
		assertThat(other.tryLock()).isFalse();
		assertThat(lock.tryLock()).isFalse();
		assertThat(other.tryLock(15, TimeUnit.SECONDS)).isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(2500));
		other.unlock();
	}

	@Test
	void heldLocksShouldListTheHoldsOfThisProcess() {
		EtcdLocks locks = process();
		EtcdMutex a = locks.obtain("a");
		EtcdMutex b = locks.obtain("b");
		a.lock();
		b.lock();
		try {
			assertThat(locks.heldLocks()).extracting(HeldLock::name).containsExactly("a", "b");
			assertThat(locks.heldLocks().get(0).fencingToken()).isEqualTo(a.fencingToken());
			assertThat(locks.heldLocks().get(0).ownerKey()).isEqualTo(a.ownerKey());
		}
		finally {
			b.unlock();
			a.unlock();
		}
		assertThat(locks.heldLocks()).isEmpty();
	}

	@Test
	void closeShouldDeleteTheKeysAndEndTheWaits() throws Exception {
		EtcdLocks holding = process();
		EtcdLocks waitingLocks = process();
		EtcdMutex held = holding.obtain("closed");
		held.lock();
		EtcdMutex waiting = waitingLocks.obtain("closed");
		Future<Boolean> waited = this.executor.submit(() -> waiting.tryLock(30, TimeUnit.SECONDS));
		awaitKeys(this.prefix + "closed/", 2);
		waitingLocks.close();
		assertThat(waited).failsWithin(Duration.ofSeconds(10)).withThrowableThat().withMessageContaining("closed");
		holding.close();
		assertThat(template.getPrefix(this.prefix)).isEmpty();
		assertThatExceptionOfType(ConcurrentModificationException.class).isThrownBy(held::unlock)
			.withMessageContaining("closed");
	}

	@Test
	void badArgumentsShouldBeRejectedBeforeAnyCall() {
		EtcdLocks locks = process();
		assertThatIllegalArgumentException().isThrownBy(() -> locks.obtain("a/b"))
			.withMessageContaining("must not contain '/'");
		assertThatIllegalArgumentException().isThrownBy(() -> locks.obtain(""));
		assertThatIllegalArgumentException().isThrownBy(() -> locks.obtain("a", ""));
		assertThatIllegalArgumentException().isThrownBy(() -> locks.obtain("a").lock(Duration.ofMillis(500)))
			.withMessageContaining("at least one second");
		assertThatIllegalArgumentException().isThrownBy(() -> locks.setTtl(Duration.ZERO));
		assertThat(locks.obtain("a").isLocked()).isFalse();
	}

	@Test
	void anotherOwnerValueForALockHeldHereShouldBeRefused() {
		EtcdLocks locks = process();
		EtcdMutex plain = locks.obtain("mixed");
		plain.lock();
		try {
			assertThatIllegalStateException().isThrownBy(() -> locks.obtain("mixed", "x"))
				.withMessageContaining("held in this process");
		}
		finally {
			plain.unlock();
		}
		EtcdMutex valued = locks.obtain("mixed", "x");
		assertThat(valued.ownerValue()).isEqualTo("x");
		assertThatIllegalStateException().isThrownBy(plain::lock).withMessageContaining("obtain it again");
	}

	private static void awaitKeys(String prefix, int count) throws InterruptedException {
		awaitTrue(() -> template.getPrefix(prefix).size() == count, Duration.ofSeconds(10));
	}

	static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("Condition not met within " + timeout);
			}
			Thread.sleep(10);
		}
	}

}
