package org.etcdspring.lock;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.etcdspring.core.EtcdException;
import org.etcdspring.support.Eventually;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link AbandonedKeys}: the background removal of a key and an attempt that
 * takes the key over exclude each other (pure logic, no etcd).
 */
class AbandonedKeysTests {

	private final AbandonedKeys keys = new AbandonedKeys();

	private final AtomicInteger removals = new AtomicInteger();

	@Test
	void removalShouldRunUntilItSucceeds() {
		AtomicInteger failures = new AtomicInteger(1);
		Runnable retry = this.keys.abandon("k", 1, () -> {
			if (failures.getAndDecrement() > 0) {
				throw new EtcdException("etcd does not answer");
			}
			this.removals.incrementAndGet();
		}, false);
		assertThatExceptionOfType(EtcdException.class).isThrownBy(retry::run);
		retry.run();
		assertThat(this.removals).hasValue(1);
		// Succeeded: nothing left to claim or remove.
		retry.run();
		assertThat(this.removals).hasValue(1);
	}

	@Test
	void claimedKeyOfAWaiterShouldBeKeptAndNotRemoved() {
		Runnable retry = this.keys.abandon("k", 1, this.removals::incrementAndGet, false);
		this.keys.claim("k");
		retry.run();
		assertThat(this.removals).hasValue(0);
	}

	@Test
	void claimedKeyOfAHoldShouldBeReleasedOnceBeforeItIsWrittenAgain() {
		Runnable retry = this.keys.abandon("k", 1, this.removals::incrementAndGet, true);
		this.keys.claim("k");
		assertThat(this.removals).hasValue(1);
		retry.run();
		this.keys.claim("k");
		assertThat(this.removals).hasValue(1);
	}

	@Test
	void claimOfAHoldsKeyThatEtcdDoesNotAnswerShouldFailAndLeaveTheRemovalToTheRetry() {
		AtomicInteger failures = new AtomicInteger(1);
		Runnable retry = this.keys.abandon("k", 1, () -> {
			if (failures.getAndDecrement() > 0) {
				throw new EtcdException("etcd does not answer");
			}
			this.removals.incrementAndGet();
		}, true);
		assertThatExceptionOfType(EtcdException.class).isThrownBy(() -> this.keys.claim("k"));
		retry.run();
		assertThat(this.removals).hasValue(1);
		this.keys.claim("k");
		assertThat(this.removals).hasValue(1);
	}

	@Test
	void claimOfAnotherKeyShouldNotStopTheRemoval() {
		Runnable retry = this.keys.abandon("k", 1, this.removals::incrementAndGet, false);
		this.keys.claim("other");
		retry.run();
		assertThat(this.removals).hasValue(1);
	}

	@Test
	void claimShouldWaitForARemovalInFlight() throws Exception {
		CountDownLatch removing = new CountDownLatch(1);
		CountDownLatch answer = new CountDownLatch(1);
		Runnable retry = this.keys.abandon("k", 1, () -> {
			removing.countDown();
			try {
				assertThat(answer.await(30, TimeUnit.SECONDS)).isTrue();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.removals.incrementAndGet();
		}, false);
		Thread background = new Thread(retry, "abandoned-key-removal");
		background.start();
		assertThat(removing.await(30, TimeUnit.SECONDS)).isTrue();
		Thread attempt = new Thread(() -> this.keys.claim("k"), "attempt");
		attempt.start();
		// The attempt must not write the key while its removal may still delete it.
		Eventually.within(Duration.ofSeconds(30), () -> attempt.getState() == Thread.State.BLOCKED);
		answer.countDown();
		attempt.join(30_000);
		background.join(30_000);
		assertThat(attempt.isAlive()).isFalse();
		assertThat(this.removals).hasValue(1);
	}

	@Test
	void lossOfTheLeaseShouldNotWaitForARemovalInFlight() throws Exception {
		CountDownLatch removing = new CountDownLatch(1);
		CountDownLatch answer = new CountDownLatch(1);
		Runnable retry = this.keys.abandon("k", 1, () -> {
			removing.countDown();
			try {
				assertThat(answer.await(30, TimeUnit.SECONDS)).isTrue();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, false);
		Thread background = new Thread(retry, "abandoned-key-removal");
		background.start();
		assertThat(removing.await(30, TimeUnit.SECONDS)).isTrue();
		// Told by the keep-alive, which must never wait for a request.
		Thread keepAlive = new Thread(() -> {
			this.keys.leaseGone(1);
			this.keys.clear();
		}, "keep-alive");
		keepAlive.start();
		keepAlive.join(10_000);
		boolean waited = keepAlive.isAlive();
		answer.countDown();
		background.join(30_000);
		assertThat(waited).isFalse();
	}

}
