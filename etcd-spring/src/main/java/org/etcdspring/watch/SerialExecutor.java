package org.etcdspring.watch;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs tasks one after another, in submission order, on a shared executor: many watches
 * share a few threads while each watch's events stay in order. It counts the tasks
 * waiting, so that its user can stop feeding it when they are too many, and tells its
 * user after each task, so that it can feed more.
 *
 * @author etcd-spring
 */
final class SerialExecutor implements Executor {

	private static final Log logger = LogFactory.getLog(SerialExecutor.class);

	private final Executor delegate;

	private final Runnable afterTask;

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final AtomicInteger waiting = new AtomicInteger();

	private final AtomicInteger mostWaiting = new AtomicInteger();

	private final AtomicBoolean draining = new AtomicBoolean();

	SerialExecutor(Executor delegate, Runnable afterTask) {
		this.delegate = delegate;
		this.afterTask = afterTask;
	}

	@Override
	public void execute(Runnable task) {
		this.tasks.add(task);
		this.mostWaiting.accumulateAndGet(this.waiting.incrementAndGet(), Math::max);
		if (this.draining.compareAndSet(false, true)) {
			this.delegate.execute(this::drain);
		}
	}

	/**
	 * How many tasks wait to run.
	 */
	int waiting() {
		return this.waiting.get();
	}

	/**
	 * The most tasks that ever waited at once.
	 */
	int mostWaiting() {
		return this.mostWaiting.get();
	}

	private void drain() {
		do {
			Runnable task;
			while ((task = this.tasks.poll()) != null) {
				this.waiting.decrementAndGet();
				run(task);
				run(this.afterTask);
			}
			this.draining.set(false);
			// A task added after the last poll but before the flag was cleared needs a
			// drainer.
		}
		while (!this.tasks.isEmpty() && this.draining.compareAndSet(false, true));
	}

	private static void run(Runnable task) {
		try {
			task.run();
		}
		catch (Throwable ex) {
			// Tasks handle their own failures; one that escapes must not stop the ones
			// after it.
			logger.error("A watch task failed", ex);
		}
	}

}
