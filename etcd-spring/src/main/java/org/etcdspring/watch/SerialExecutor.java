package org.etcdspring.watch;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one after another, in submission order, on a shared executor: many
 * watches share a few threads while each watch's events stay in order.
 *
 * @author etcd-spring
 */
final class SerialExecutor implements Executor {

	private final Executor delegate;

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean draining = new AtomicBoolean();

	SerialExecutor(Executor delegate) {
		this.delegate = delegate;
	}

	@Override
	public void execute(Runnable task) {
		this.tasks.add(task);
		if (this.draining.compareAndSet(false, true)) {
			this.delegate.execute(this::drain);
		}
	}

	private void drain() {
		do {
			Runnable task;
			while ((task = this.tasks.poll()) != null) {
				task.run();
			}
			this.draining.set(false);
			// A task added after the last poll but before the flag was cleared needs a drainer.
		}
		while (!this.tasks.isEmpty() && this.draining.compareAndSet(false, true));
	}

}
