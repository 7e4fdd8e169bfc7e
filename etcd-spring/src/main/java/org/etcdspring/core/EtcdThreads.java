package org.etcdspring.core;

import java.util.concurrent.ThreadFactory;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.Assert;

/**
 * Makes every thread of the library, through Spring's task abstractions, in one place:
 * timers and in-order executors on one platform thread, pools for blocking work, and the
 * few dedicated threads. Every thread is named after what it does and is a daemon;
 * whoever asks for an executor shuts it down when it closes. An executor's name that ends
 * with {@code '-'} is a prefix, the threads get a number after it ({@code etcd-batch-1});
 * any other name is the thread's name. A {@linkplain #thread dedicated thread} has the
 * name given, always.
 * <p>
 * With {@linkplain #of(boolean) virtual threads} (Java 21+) the threads of blocking work
 * ({@link #workers(String)}) are virtual; timers, in-order executors and dedicated
 * threads stay platform threads whatever the choice: they only schedule, or keep an order
 * that one thread gives.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdThreads {

	private static final int KEEP_ALIVE_SECONDS = 30;

	private static final EtcdThreads PLATFORM = new EtcdThreads(false);

	private final boolean virtual;

	private EtcdThreads(boolean virtual) {
		this.virtual = virtual;
	}

	/**
	 * Threads that are all platform threads.
	 * @return the platform threads
	 */
	public static EtcdThreads platform() {
		return PLATFORM;
	}

	/**
	 * Threads whose blocking work runs on virtual threads, or all platform threads.
	 * @param virtual whether blocking work runs on virtual threads
	 * @return the threads
	 * @throws IllegalArgumentException if virtual threads are asked for before Java 21
	 */
	public static EtcdThreads of(boolean virtual) {
		if (!virtual) {
			return PLATFORM;
		}
		Assert.isTrue(virtualThreadsAvailable(),
				() -> "Virtual threads need Java 21 or later; this is Java " + Runtime.version().feature());
		return new EtcdThreads(true);
	}

	/**
	 * Whether this JVM has virtual threads (Java 21 or later).
	 * @return {@code true} when it has
	 */
	public static boolean virtualThreadsAvailable() {
		return Runtime.version().feature() >= 21;
	}

	/**
	 * Whether blocking work runs on virtual threads.
	 * @return {@code true} for virtual threads
	 */
	public boolean isVirtual() {
		return this.virtual;
	}

	/**
	 * Platform daemon threads, for an executor that is tuned by hand.
	 * @param name the name of the threads, or their prefix
	 * @return the thread factory
	 */
	public ThreadFactory threadFactory(String name) {
		Assert.hasText(name, "'name' must not be empty");
		CustomizableThreadFactory factory = name.endsWith("-") ? new CustomizableThreadFactory(name)
				: new NamedThreadFactory(name);
		factory.setDaemon(true);
		return factory;
	}

	/**
	 * A dedicated platform daemon thread, not started yet, for a loop that lives as long
	 * as its owner or a one-off task that must not hold up its caller.
	 * @param name the name of the thread
	 * @param task what the thread runs
	 * @return the thread
	 */
	public Thread thread(String name, Runnable task) {
		Assert.hasText(name, "'name' must not be empty");
		Assert.notNull(task, "'task' must not be null");
		NamedThreadFactory factory = new NamedThreadFactory(name);
		factory.setDaemon(true);
		return factory.newThread(task);
	}

	/**
	 * A timer: one platform thread that runs short scheduled tasks in order. The caller
	 * shuts it down ({@link ThreadPoolTaskScheduler#shutdown()} cancels what is still
	 * scheduled).
	 * @param name the name of the thread, or its prefix
	 * @return the started timer
	 */
	public ThreadPoolTaskScheduler timer(String name) {
		ThreadPoolTaskScheduler timer = new ThreadPoolTaskScheduler();
		timer.setPoolSize(1);
		timer.setThreadFactory(threadFactory(name));
		timer.setRemoveOnCancelPolicy(true);
		timer.initialize();
		return timer;
	}

	/**
	 * An executor that runs its tasks one after the other, in the order given, on one
	 * platform thread (which ends after a while without tasks). The caller shuts it down:
	 * {@link ThreadPoolTaskExecutor#shutdown()} drops the tasks not started and
	 * interrupts the running one, unless it was told to wait for them.
	 * @param name the name of the thread, or its prefix
	 * @return the started executor
	 */
	public ThreadPoolTaskExecutor serial(String name) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(1);
		executor.setMaxPoolSize(1);
		executor.setThreadFactory(threadFactory(name));
		executor.setKeepAliveSeconds(KEEP_ALIVE_SECONDS);
		executor.setAllowCoreThreadTimeOut(true);
		executor.initialize();
		return executor;
	}

	/**
	 * Threads for blocking work, one per task at that moment: virtual threads, or a pool
	 * of platform threads that ends the threads idle for a while. The caller shuts it
	 * down.
	 * @param name the prefix of the threads' names
	 * @return the started executor
	 */
	public ThreadPoolTaskExecutor workers(String name) {
		ThreadPoolTaskExecutor executor = workerExecutor(name);
		executor.setCorePoolSize(0);
		executor.setQueueCapacity(0);
		executor.initialize();
		return executor;
	}

	/**
	 * Threads for blocking work with at most {@code limit} platform threads, the tasks
	 * beyond it waiting in line; with virtual threads, one per task at that moment (a
	 * virtual thread costs too little to ration).
	 * @param name the prefix of the threads' names
	 * @param limit the most platform threads
	 * @return the started executor
	 */
	public ThreadPoolTaskExecutor workers(String name, int limit) {
		Assert.isTrue(limit > 0, () -> "'limit' must be positive, was " + limit);
		if (this.virtual) {
			return workers(name);
		}
		ThreadPoolTaskExecutor executor = workerExecutor(name);
		executor.setCorePoolSize(limit);
		executor.setMaxPoolSize(limit);
		executor.setAllowCoreThreadTimeOut(true);
		executor.initialize();
		return executor;
	}

	private ThreadPoolTaskExecutor workerExecutor(String name) {
		Assert.isTrue(name.endsWith("-"), () -> "'name' of workers must be a prefix ending with '-', was " + name);
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setKeepAliveSeconds(KEEP_ALIVE_SECONDS);
		if (this.virtual) {
			executor.setVirtualThreads(true);
			executor.setThreadNamePrefix(name);
		}
		else {
			executor.setThreadFactory(threadFactory(name));
		}
		return executor;
	}

	/**
	 * Names every thread the same.
	 */
	private static final class NamedThreadFactory extends CustomizableThreadFactory {

		private final String name;

		NamedThreadFactory(String name) {
			this.name = name;
		}

		@Override
		protected String nextThreadName() {
			return this.name;
		}

	}

}
