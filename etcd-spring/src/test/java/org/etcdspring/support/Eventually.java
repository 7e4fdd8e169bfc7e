package org.etcdspring.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits in tests for a condition that other threads make true, checking it every few
 * milliseconds.
 */
public final class Eventually {

	private Eventually() {
	}

	/**
	 * Wait until the condition holds.
	 * @param timeout how long to wait at most
	 * @param condition the condition
	 * @return how long it took
	 * @throws AssertionError when the timeout passed first
	 */
	public static Duration within(Duration timeout, BooleanSupplier condition) throws InterruptedException {
		long start = System.nanoTime();
		long deadline = start + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("Condition not met within " + timeout);
			}
			Thread.sleep(5);
		}
		return Duration.ofNanos(System.nanoTime() - start);
	}

}
