package org.etcdspring.support;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
				throw new AssertionError("Condition not met within " + timeout + threadDump());
			}
			Thread.sleep(5);
		}
		return Duration.ofNanos(System.nanoTime() - start);
	}

	/**
	 * Wait for the result of a task that other threads run.
	 * @param timeout how long to wait at most
	 * @param future the task's result
	 * @param <T> the type of the result
	 * @return the result
	 * @throws AssertionError when the timeout passed first (with the stacks of every
	 * thread, to show where the task waits), or the task failed
	 */
	public static <T> T result(Duration timeout, Future<T> future) throws InterruptedException {
		try {
			return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new AssertionError("No result within " + timeout + threadDump(), ex);
		}
		catch (ExecutionException ex) {
			throw new AssertionError("The task failed: " + ex.getCause(), ex.getCause());
		}
	}

	private static String threadDump() {
		StringBuilder dump = new StringBuilder("; the threads then:");
		for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
			dump.append("\n\"").append(thread.getKey().getName()).append("\" ").append(thread.getKey().getState());
			for (StackTraceElement frame : thread.getValue()) {
				dump.append("\n\tat ").append(frame);
			}
		}
		return dump.toString();
	}

}
