package org.etcdspring.lock;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The point in time a lock acquisition gives up at, or none.
 *
 * @author etcd-spring
 */
final class Deadline {

	private static final Deadline NONE = new Deadline(0, false);

	private final long nanos;

	private final boolean bounded;

	private Deadline(long nanos, boolean bounded) {
		this.nanos = nanos;
		this.bounded = bounded;
	}

	/**
	 * Wait without end.
	 * @return the deadline that never passes
	 */
	static Deadline none() {
		return NONE;
	}

	/**
	 * Give up after the given time from now.
	 * @param wait the time to wait; zero or negative means: do not wait
	 * @return the deadline
	 */
	static Deadline after(Duration wait) {
		return new Deadline(System.nanoTime() + Math.max(0, wait.toNanos()), true);
	}

	/**
	 * The time left, zero once passed.
	 * @return the remaining nanoseconds, {@code Long.MAX_VALUE} without a deadline
	 */
	long remainingNanos() {
		return this.bounded ? Math.max(0, this.nanos - System.nanoTime()) : Long.MAX_VALUE;
	}

	boolean hasPassed() {
		return this.bounded && this.nanos - System.nanoTime() <= 0;
	}

	/**
	 * Wait until the latch opens or the deadline passes.
	 * @param latch the latch
	 * @return whether the latch opened
	 * @throws InterruptedException when the thread is interrupted
	 */
	boolean await(CountDownLatch latch) throws InterruptedException {
		if (this.bounded) {
			return latch.await(remainingNanos(), TimeUnit.NANOSECONDS);
		}
		latch.await();
		return true;
	}

}
