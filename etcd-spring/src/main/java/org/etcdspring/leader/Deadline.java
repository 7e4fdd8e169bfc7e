package org.etcdspring.leader;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The moment a wait gives up, or none.
 *
 * @author etcd-spring
 */
final class Deadline {

	/**
	 * No deadline: waits end only when what they wait for happens, or on interruption.
	 */
	static final Deadline NONE = new Deadline(0);

	// Beyond this, System.nanoTime() arithmetic would overflow.
	private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE / 2);

	private final long nanos;

	private Deadline(long nanos) {
		this.nanos = nanos;
	}

	/**
	 * The deadline a timeout from now sets.
	 * @param timeout the timeout
	 * @return the deadline; none for a timeout of more than a century
	 */
	static Deadline after(Duration timeout) {
		return (timeout.compareTo(LONGEST) > 0) ? NONE : new Deadline(System.nanoTime() + timeout.toNanos());
	}

	/**
	 * Wait for a future until this deadline.
	 * @param future the future
	 * @return {@code true} when it completed normally, {@code false} when the deadline
	 * passed first
	 * @throws InterruptedException when interrupted while waiting
	 * @throws ExecutionException when it completed exceptionally
	 */
	boolean await(CompletableFuture<?> future) throws InterruptedException, ExecutionException {
		if (this == NONE) {
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
