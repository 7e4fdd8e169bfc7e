package org.etcdspring.benchmarks.workloads;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.etcdspring.benchmarks.clients.Client;
import org.etcdspring.benchmarks.measure.LatencySamples;
import org.etcdspring.benchmarks.measure.RoundResult;

/**
 * A workload of blocking callers: each caller, on a thread of its own, starts its next
 * operation as soon as the previous one returned, until the round's time is up.
 *
 * @author etcd-spring
 */
abstract class CallerWorkload implements Workload {

	private final int callers;

	private final ExecutorService threads;

	private final Map<Client, Operation> operations = new EnumMap<>(Client.class);

	CallerWorkload(int callers) {
		this.callers = callers;
		AtomicInteger count = new AtomicInteger();
		this.threads = Executors.newFixedThreadPool(callers, (runnable) -> {
			Thread thread = new Thread(runnable, "bench-caller-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	@Override
	public int callers() {
		return this.callers;
	}

	@Override
	public void prepare() {
		for (Client client : clients()) {
			this.operations.put(client, operation(client));
		}
	}

	/**
	 * Set up a client and return its operation.
	 * @param client the client
	 * @return what one caller does once
	 */
	abstract Operation operation(Client client);

	@Override
	public RoundResult run(Client client, Duration duration) {
		Operation operation = this.operations.get(client);
		CountDownLatch ready = new CountDownLatch(this.callers);
		CountDownLatch start = new CountDownLatch(1);
		AtomicLong deadline = new AtomicLong();
		List<Future<CallerResult>> results = new ArrayList<>(this.callers);
		for (int caller = 0; caller < this.callers; caller++) {
			int index = caller;
			results.add(this.threads.submit(() -> {
				ready.countDown();
				start.await();
				return call(operation, index, deadline.get());
			}));
		}
		long begin;
		try {
			ready.await();
			begin = System.nanoTime();
			deadline.set(begin + duration.toNanos());
			start.countDown();
			long operations = 0;
			long errors = 0;
			String firstError = null;
			List<long[]> latencies = new ArrayList<>(this.callers);
			for (Future<CallerResult> result : results) {
				CallerResult caller = result.get();
				operations += caller.samples().count();
				errors += caller.errors();
				firstError = (firstError != null) ? firstError : caller.firstError();
				latencies.add(caller.samples().toArray());
			}
			long elapsed = System.nanoTime() - begin;
			return new RoundResult(operations, errors, elapsed,
					latencies.stream().flatMapToLong(Arrays::stream).toArray(), firstError);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted during a round of " + title(), ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("A caller of " + title() + " failed", ex.getCause());
		}
	}

	private static CallerResult call(Operation operation, int caller, long deadline) {
		LatencySamples samples = new LatencySamples();
		long errors = 0;
		String firstError = null;
		while (System.nanoTime() < deadline) {
			long start = System.nanoTime();
			try {
				operation.run(caller);
				samples.add(System.nanoTime() - start);
			}
			catch (RuntimeException ex) {
				errors++;
				firstError = (firstError != null) ? firstError : ex.toString();
			}
		}
		return new CallerResult(samples, errors, firstError);
	}

	@Override
	public void close() {
		this.threads.shutdownNow();
	}

	/**
	 * What one caller does once.
	 */
	@FunctionalInterface
	interface Operation {

		void run(int caller);

	}

	private record CallerResult(LatencySamples samples, long errors, String firstError) {
	}

}
