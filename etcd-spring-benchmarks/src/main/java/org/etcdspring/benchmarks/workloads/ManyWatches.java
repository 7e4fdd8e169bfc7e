package org.etcdspring.benchmarks.workloads;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

import com.sun.management.UnixOperatingSystemMXBean;

import org.etcdspring.benchmarks.clients.Client;
import org.etcdspring.benchmarks.clients.Clients;
import org.etcdspring.benchmarks.clients.KvClient;
import org.etcdspring.benchmarks.clients.WatchClient;
import org.etcdspring.benchmarks.measure.EtcdServer;
import org.etcdspring.benchmarks.measure.LocalEtcd;
import org.etcdspring.test.EtcdLocalCluster;

/**
 * Opens thousands of watches, one key each, and measures what holding them costs: heap,
 * direct buffers, threads, sockets, and etcd's memory. Then puts a sample of the watched
 * keys (with the bare {@code HttpClient}) to check that the watches deliver, and closes
 * them. Each run has an etcd and clients of its own, so that neither side carries memory
 * or connections over from the run before (Go keeps freed memory for a while).
 *
 * @author etcd-spring
 */
public final class ManyWatches {

	private static final int PROBES = 100;

	private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

	private final LocalEtcd etcd;

	private final Duration timeout;

	private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

	private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	/**
	 * Prepare to open watches.
	 * @param etcd how to start and reach each run's etcd
	 * @param timeout how long to wait for all watches to be established
	 */
	public ManyWatches(LocalEtcd etcd, Duration timeout) {
		this.etcd = etcd;
		this.timeout = timeout;
	}

	/**
	 * Start an etcd, open watches on it, measure, check, close the watches and stop etcd.
	 * @param client {@link Client#ETCD_SPRING} or {@link Client#JETCD}
	 * @param count how many watches
	 * @return the measurements
	 */
	public ManyWatchesResult run(Client client, int count) {
		try (EtcdLocalCluster cluster = this.etcd.start(); Clients clients = this.etcd.connect(cluster)) {
			EtcdServer server = this.etcd.observe(cluster);
			// Connected before the baseline: the watches' cost is what is measured
			clients.kv(client).put("bench/watches/connected", Values.of(0));
			return run(clients.watches(client), clients.kv(Client.HTTP_CLIENT), server, client, count);
		}
	}

	private ManyWatchesResult run(WatchClient watchClient, KvClient writer, EtcdServer server, Client client,
			int count) {
		String prefix = "bench/watches/";
		AtomicIntegerArray received = new AtomicIntegerArray(count);
		settle();
		long heapBefore = heapUsed();
		long directBefore = directUsed();
		long threadsStartedBefore = this.threads.getTotalStartedThreadCount();
		long fdsBefore = openFileDescriptors();
		long rssBefore = server.residentBytes();
		this.threads.resetPeakThreadCount();
		List<WatchClient.Watching> watches = new ArrayList<>(count);
		String note = null;
		long start = System.nanoTime();
		try {
			for (int i = 0; i < count; i++) {
				int index = i;
				watches.add(watchClient.watch(prefix + i, (value) -> received.set(index, 1)));
			}
		}
		catch (RuntimeException ex) {
			note = "opening watch " + (watches.size() + 1) + " failed: " + ex;
		}
		int established = awaitEstablished(watches, start + this.timeout.toNanos());
		double openSeconds = (System.nanoTime() - start) / 1e9;
		if (established < count && note == null) {
			note = established + " of " + count + " watches established after " + this.timeout.toSeconds() + " s";
		}
		int peakThreads = this.threads.getPeakThreadCount();
		settle();
		long heap = heapUsed() - heapBefore;
		long direct = directUsed() - directBefore;
		int liveThreads = this.threads.getThreadCount();
		long startedThreads = this.threads.getTotalStartedThreadCount() - threadsStartedBefore;
		long fds = openFileDescriptors() - fdsBefore;
		long rss = server.residentBytes() - rssBefore;
		int probes = Math.min(PROBES, count);
		long probeStart = System.nanoTime();
		int delivered = probe(writer, prefix, count, probes, received);
		double deliverySeconds = (System.nanoTime() - probeStart) / 1e9;
		long closeStart = System.nanoTime();
		watches.forEach(WatchClient.Watching::close);
		double closeSeconds = (System.nanoTime() - closeStart) / 1e9;
		return new ManyWatchesResult(client, count, established, openSeconds, heap, direct, liveThreads, startedThreads,
				peakThreads, fds, rss, probes, delivered, deliverySeconds, closeSeconds, note);
	}

	private static int awaitEstablished(List<WatchClient.Watching> watches, long deadline) {
		while (true) {
			int established = 0;
			for (WatchClient.Watching watch : watches) {
				established += watch.isEstablished() ? 1 : 0;
			}
			if (established == watches.size() || System.nanoTime() > deadline) {
				return established;
			}
			Names.sleep(20);
		}
	}

	private static int probe(KvClient writer, String prefix, int count, int probes, AtomicIntegerArray received) {
		int[] indexes = new int[probes];
		for (int probe = 0; probe < probes; probe++) {
			indexes[probe] = (int) ((long) probe * count / probes);
			writer.put(prefix + indexes[probe], Values.of(probe));
		}
		long deadline = System.nanoTime() + DELIVERY_TIMEOUT.toNanos();
		while (true) {
			int delivered = 0;
			for (int index : indexes) {
				delivered += received.get(index);
			}
			if (delivered == probes || System.nanoTime() > deadline) {
				return delivered;
			}
			Names.sleep(1);
		}
	}

	private void settle() {
		for (int i = 0; i < 2; i++) {
			this.memory.gc();
			Names.sleep(100);
		}
	}

	private long heapUsed() {
		return this.memory.getHeapMemoryUsage().getUsed();
	}

	private static long directUsed() {
		return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
			.stream()
			.filter((pool) -> pool.getName().equals("direct"))
			.mapToLong(BufferPoolMXBean::getMemoryUsed)
			.sum();
	}

	private static long openFileDescriptors() {
		return (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix)
				? unix.getOpenFileDescriptorCount() : 0;
	}

}
