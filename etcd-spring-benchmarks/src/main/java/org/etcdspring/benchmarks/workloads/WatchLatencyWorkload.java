package org.etcdspring.benchmarks.workloads;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.etcdspring.benchmarks.clients.Client;
import org.etcdspring.benchmarks.clients.Clients;
import org.etcdspring.benchmarks.clients.KvClient;
import org.etcdspring.benchmarks.clients.WatchClient;
import org.etcdspring.benchmarks.measure.LatencySamples;
import org.etcdspring.benchmarks.measure.RoundResult;

/**
 * Watch delivery latency: the time from starting a put until the watching client's
 * callback sees it. One put at a time, the next after the callback. The puts are made by
 * the bare {@code HttpClient} for both clients, so only the watch path differs.
 *
 * @author etcd-spring
 */
public final class WatchLatencyWorkload implements Workload {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final Clients clients;

	private final KvClient writer;

	private final Map<Client, WatchClient.Watching> watches = new EnumMap<>(Client.class);

	private final Map<Client, BlockingQueue<Delivery>> deliveries = new EnumMap<>(Client.class);

	private long sequence;

	public WatchLatencyWorkload(Clients clients) {
		this.clients = clients;
		this.writer = clients.kv(Client.HTTP_CLIENT);
	}

	@Override
	public String id() {
		return "watch-latency";
	}

	@Override
	public String title() {
		return "watch, put to callback";
	}

	@Override
	public int callers() {
		return 1;
	}

	@Override
	public List<Client> clients() {
		return List.of(Client.ETCD_SPRING, Client.JETCD);
	}

	@Override
	public void prepare() {
		for (Client client : clients()) {
			BlockingQueue<Delivery> queue = new LinkedBlockingQueue<>();
			this.deliveries.put(client, queue);
			WatchClient.Watching watching = this.clients.watches(client)
				.watch(key(client), (value) -> queue.add(new Delivery(Values.parse(value), System.nanoTime())));
			this.watches.put(client, watching);
			awaitEstablished(client, watching);
		}
	}

	private static void awaitEstablished(Client client, WatchClient.Watching watching) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (!watching.isEstablished()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						"The watch of " + client.label() + " was not established in " + TIMEOUT);
			}
			Names.sleep(1);
		}
	}

	@Override
	public RoundResult run(Client client, Duration duration) {
		BlockingQueue<Delivery> queue = this.deliveries.get(client);
		String key = key(client);
		LatencySamples samples = new LatencySamples();
		long errors = 0;
		String firstError = null;
		long begin = System.nanoTime();
		long deadline = begin + duration.toNanos();
		while (System.nanoTime() < deadline) {
			long expected = ++this.sequence;
			long start = System.nanoTime();
			try {
				this.writer.put(key, Values.of(expected));
				Delivery delivery = awaitDelivery(queue, expected);
				samples.add(delivery.nanoTime() - start);
			}
			catch (RuntimeException ex) {
				errors++;
				firstError = (firstError != null) ? firstError : ex.toString();
			}
		}
		return new RoundResult(samples.count(), errors, System.nanoTime() - begin, samples.toArray(), firstError);
	}

	private static Delivery awaitDelivery(BlockingQueue<Delivery> queue, long expected) {
		try {
			while (true) {
				Delivery delivery = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				if (delivery == null) {
					throw new IllegalStateException("The put of " + expected + " was not delivered within " + TIMEOUT);
				}
				if (delivery.sequence() == expected) {
					return delivery;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for a watch event", ex);
		}
	}

	private static String key(Client client) {
		return "bench/watch/" + client.label();
	}

	@Override
	public void close() {
		this.watches.values().forEach(WatchClient.Watching::close);
	}

	private record Delivery(long sequence, long nanoTime) {
	}

}
