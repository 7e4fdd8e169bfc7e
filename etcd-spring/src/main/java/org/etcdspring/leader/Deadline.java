package org.etcdspring.leader;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * When the waits of a campaign give up: at a moment, or when they are cancelled.
 *
 * @author etcd-spring
 */
final class Deadline {

	// Beyond this, System.nanoTime() arithmetic would overflow.
	private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE / 2);

	private static final BooleanSupplier NEVER = () -> false;

	private final long nanos;

	private final boolean bounded;

	private final BooleanSupplier cancelled;

	private Deadline(long nanos, boolean bounded, BooleanSupplier cancelled) {
		this.nanos = nanos;
		this.bounded = bounded;
		this.cancelled = cancelled;
	}

	/**
	 * The deadline a timeout from now sets.
	 * @param timeout the timeout
	 * @return the deadline; none for a timeout of more than a century
	 */
	static Deadline after(Duration timeout) {
		return (timeout.compareTo(LONGEST) > 0) ? new Deadline(0, false, NEVER)
				: new Deadline(System.nanoTime() + timeout.toNanos(), true, NEVER);
	}

	/**
	 * No deadline, but every wait fails as interrupted once the condition holds. The
	 * owner sets the condition before it interrupts the waiting thread; looked at before
	 * each wait, it also covers an interruption that code run on the way (a listener)
	 * swallowed.
	 * @param cancelled whether the waits are cancelled
	 * @return the deadline
	 */
	static Deadline until(BooleanSupplier cancelled) {
		return new Deadline(0, false, cancelled);
	}

	/**
	 * Wait for a future until this deadline.
	 * @param future the future
	 * @return {@code true} when it completed normally, {@code false} when the deadline
	 * passed first
	 * @throws InterruptedException when interrupted or cancelled
	 * @throws ExecutionException when it completed exceptionally
	 */
	boolean await(CompletableFuture<?> future) throws InterruptedException, ExecutionException {
		if (this.cancelled.getAsBoolean()) {
			throw new InterruptedException("The wait was cancelled");
		}
		if (!this.bounded) {
			future.get();
			return true;
		}
		try {
			future.get(Math.max(0, this.nanos - System.nanoTime()), TimeUnit.NANOSECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
	}

}
