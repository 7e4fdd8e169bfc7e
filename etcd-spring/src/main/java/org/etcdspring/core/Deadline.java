package org.etcdspring.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.springframework.util.Assert;

/**
 * When the waits of a lock acquisition or a campaign give up: at a moment on the
 * {@link System#nanoTime()} clock, never, or when they are cancelled. A wait too long for
 * that clock (more than a century) is a wait without end, never an overflow.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class Deadline {

	// Beyond this, System.nanoTime() arithmetic would overflow.
	private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE / 2);

	private static final BooleanSupplier NEVER = () -> false;

	private static final Deadline NONE = new Deadline(0, false, NEVER);

	private final long nanos;

	private final boolean bounded;

	private final BooleanSupplier cancelled;

	private Deadline(long nanos, boolean bounded, BooleanSupplier cancelled) {
		this.nanos = nanos;
		this.bounded = bounded;
		this.cancelled = cancelled;
	}

	/**
	 * Wait without end.
	 * @return the deadline that never passes
	 */
	public static Deadline none() {
		return NONE;
	}

	/**
	 * Give up after the given time from now.
	 * @param timeout the time to wait; zero or negative means: do not wait; more than a
	 * century means: wait without end
	 * @return the deadline
	 */
	public static Deadline after(Duration timeout) {
		Assert.notNull(timeout, "'timeout' must not be null");
		if (timeout.compareTo(LONGEST) > 0) {
			return NONE;
		}
		return new Deadline(System.nanoTime() + Math.max(0, timeout.toNanos()), true, NEVER);
	}

	/**
	 * No deadline, but every wait fails as interrupted once the condition holds. The
	 * owner sets the condition before it interrupts the waiting thread; looked at before
	 * each wait, it also covers an interruption that code run on the way (a listener)
	 * swallowed.
	 * @param cancelled whether the waits are cancelled
	 * @return the deadline
	 */
	public static Deadline until(BooleanSupplier cancelled) {
		Assert.notNull(cancelled, "'cancelled' must not be null");
		return new Deadline(0, false, cancelled);
	}

	/**
	 * The time left, zero once passed.
	 * @return the remaining nanoseconds, {@code Long.MAX_VALUE} without a deadline
	 */
	public long remainingNanos() {
		return this.bounded ? Math.max(0, this.nanos - System.nanoTime()) : Long.MAX_VALUE;
	}

	/**
	 * Whether the deadline has passed.
	 * @return {@code false} for a deadline without end
	 */
	public boolean hasPassed() {
		return this.bounded && this.nanos - System.nanoTime() <= 0;
	}

	/**
	 * Wait until the latch opens or the deadline passes.
	 * @param latch the latch
	 * @return whether the latch opened
	 * @throws InterruptedException when interrupted or cancelled
	 */
	public boolean await(CountDownLatch latch) throws InterruptedException {
		checkCancelled();
		if (this.bounded) {
			return latch.await(remainingNanos(), TimeUnit.NANOSECONDS);
		}
		latch.await();
		return true;
	}

	/**
	 * Wait for a future until this deadline.
	 * @param future the future
	 * @return {@code true} when it completed normally, {@code false} when the deadline
	 * passed first
	 * @throws InterruptedException when interrupted or cancelled
	 * @throws ExecutionException when it completed exceptionally
	 */
	public boolean await(CompletableFuture<?> future) throws InterruptedException, ExecutionException {
		checkCancelled();
		if (!this.bounded) {
			future.get();
			return true;
		}
		try {
			future.get(remainingNanos(), TimeUnit.NANOSECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
	}

	private void checkCancelled() throws InterruptedException {
		if (this.cancelled.getAsBoolean()) {
			throw new InterruptedException("The wait was cancelled");
		}
	}

}
