package org.etcdspring.core;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdLocalCluster;
import org.etcdspring.test.EtcdMember;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failover under mixed load on a real 3-member cluster: 4 threads read and write with
 * compare-and-swap while the member in use is killed (and restarted), and later another
 * member is paused (and resumed). The cluster keeps its quorum throughout (one member
 * down at a time), so no read may fail, every write either succeeds or fails as
 * unavailable / outcome unknown / timed out, and every acknowledged write is there
 * afterwards.
 */
@Tag("wire-format")
class FailoverUnderLoadTests {

	private static final Log logger = LogFactory.getLog(FailoverUnderLoadTests.class);

	private static final int THREADS = 4;

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

	private static final String COUNTER = "load/counter";

	@Test
	void mixedLoadShouldSurviveAKilledAndThenAPausedMember() throws InterruptedException {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(3);
				EtcdTransport transport = EtcdTransport.builder(cluster.endpoints().stream().map(URI::create).toList())
					.requestTimeout(REQUEST_TIMEOUT)
					.build()) {
			EtcdTemplate etcd = new EtcdTemplate(transport);
			etcd.put(COUNTER, 0);
			Load load = new Load(etcd);
			// TODO(issue 6, watches and locks): once EtcdOperations#watchPrefix and EtcdLockRegistry exist (being
			// built on another branch), a watch on "load/" and a lock held by a fifth thread join the load here.
			// Checked at the end: the watch saw a gap-free, duplicate-free revision sequence covering every
			// acknowledged write, and the holder kept the lock with no second holder appearing.
			load.start();
			Thread.sleep(2000);

			EtcdMember killed = memberAt(cluster, transport.currentEndpoint());
			long killedAt = load.mark("SIGKILL " + killed);
			killed.kill();
			Thread.sleep(3000);
			killed.restart();
			killed.awaitHealthy(Duration.ofSeconds(30));
			long restartedAt = load.mark("restarted " + killed);
			Thread.sleep(2000);

			EtcdMember paused = memberAt(cluster, transport.currentEndpoint());
			if (paused == killed) {
				paused = cluster.members().stream().filter((member) -> member != killed).findFirst().orElseThrow();
			}
			long pausedAt = load.mark("SIGSTOP " + paused);
			paused.pause();
			Thread.sleep(5000);
			paused.resume();
			long resumedAt = load.mark("SIGCONT " + paused);
			paused.awaitHealthy(Duration.ofSeconds(30));
			Thread.sleep(2000);
			load.stop();

			load.report(killedAt, restartedAt, pausedAt);
			assertThat(load.unexpected).as("reads that failed and writes that failed unexpectedly").isEmpty();
			assertThat(load.firstSuccessAfter(killedAt)).as("progress after the kill").isPositive();
			assertThat(load.firstSuccessAfter(resumedAt)).as("progress after the resume").isPositive();
			// Every acknowledged write is there, with its value
			Map<String, Integer> stored = new ConcurrentHashMap<>();
			etcd.getPrefix("load/t").forEach((entry) -> stored.put(entry.key(), Integer.valueOf(entry.valueAsString())));
			assertThat(stored).containsAllEntriesOf(load.acknowledged);
			// Increments either applied or not: acknowledged ones surely, unknown ones maybe
			int counter = etcd.get(COUNTER, Integer.class);
			assertThat(counter).isBetween((int) load.incrementsAcknowledged.get(),
					(int) (load.incrementsAcknowledged.get() + load.incrementsUnknown.get()));
			// TODO(issue 6, watches and locks): assert the watch's revisions and the lock's single holder here.
		}
	}

	private static EtcdMember memberAt(EtcdLocalCluster cluster, URI endpoint) {
		return cluster.members()
			.stream()
			.filter((member) -> member.clientEndpoint().equals(endpoint.toString()))
			.findFirst()
			.orElseThrow();
	}

	/**
	 * The load: each thread creates its own keys with a compare-and-swap (create only),
	 * reads back the last one it created, and increments a shared counter with a
	 * read-then-compare-and-swap on its revision.
	 */
	private static final class Load {

		private final EtcdTemplate etcd;

		private final List<Thread> threads = new ArrayList<>();

		private volatile boolean running = true;

		final Map<String, Integer> acknowledged = new ConcurrentHashMap<>();

		final AtomicLong incrementsAcknowledged = new AtomicLong();

		final AtomicLong incrementsUnknown = new AtomicLong();

		final Queue<String> unexpected = new ConcurrentLinkedQueue<>();

		private final Queue<Op> ops = new ConcurrentLinkedQueue<>();

		private final long start = System.nanoTime();

		Load(EtcdTemplate etcd) {
			this.etcd = etcd;
		}

		void start() {
			for (int i = 0; i < THREADS; i++) {
				int thread = i;
				Thread worker = new Thread(() -> run(thread), "load-" + i);
				worker.start();
				this.threads.add(worker);
			}
		}

		void stop() throws InterruptedException {
			this.running = false;
			for (Thread thread : this.threads) {
				thread.join(Duration.ofSeconds(30).toMillis());
				assertThat(thread.isAlive()).as(thread.getName() + " ended").isFalse();
			}
		}

		long mark(String event) {
			long now = System.nanoTime();
			logger.info(String.format("%6d ms: %s", (now - this.start) / 1_000_000, event));
			return now;
		}

		private void run(int thread) {
			String lastKey = null;
			for (int n = 0; this.running; n++) {
				String key = "load/t" + thread + "/" + n;
				int value = n;
				Boolean created = write("create " + key, () -> this.etcd.putIfAbsent(key, value));
				if (Boolean.TRUE.equals(created)) {
					this.acknowledged.put(key, value);
					lastKey = key;
				}
				else if (Boolean.FALSE.equals(created)) {
					this.unexpected.add("create of " + key + " found the key already there: a write applied twice");
				}
				if (lastKey != null) {
					String readKey = lastKey;
					Integer read = read("get " + readKey, () -> this.etcd.get(readKey, Integer.class));
					if (read != null && read != this.acknowledged.get(readKey).intValue()) {
						this.unexpected.add("get of " + readKey + " gave " + read);
					}
				}
				KeyValue counter = read("get " + COUNTER, () -> this.etcd.getEntry(COUNTER));
				if (counter != null) {
					int next = Integer.parseInt(counter.valueAsString()) + 1;
					Boolean incremented = write("increment",
							() -> this.etcd.compareAndSetRevision(COUNTER, counter.modRevision(), next));
					if (Boolean.TRUE.equals(incremented)) {
						this.incrementsAcknowledged.incrementAndGet();
					}
					else if (incremented == null) {
						this.incrementsUnknown.incrementAndGet();
					}
				}
			}
		}

		/**
		 * Run a read, which must not fail.
		 */
		private <T> T read(String what, Supplier<T> read) {
			long start = System.nanoTime();
			try {
				T result = read.get();
				this.ops.add(new Op(true, start, System.nanoTime(), true));
				return result;
			}
			catch (RuntimeException ex) {
				this.ops.add(new Op(true, start, System.nanoTime(), false));
				this.unexpected.add("read failed: " + what + ": " + ex);
				return null;
			}
		}

		/**
		 * Run a write, which may fail as unavailable, outcome unknown or timed out.
		 * @return its result, or {@code null} when its outcome is unknown
		 */
		private Boolean write(String what, Supplier<Boolean> write) {
			long start = System.nanoTime();
			try {
				Boolean result = write.get();
				this.ops.add(new Op(false, start, System.nanoTime(), true));
				return result;
			}
			catch (EtcdOutcomeUnknownException | EtcdUnavailableException | EtcdTimeoutException ex) {
				this.ops.add(new Op(false, start, System.nanoTime(), false));
				logger.info("write " + what + " failed as allowed: " + ex.getClass().getSimpleName() + ": "
						+ ex.getMessage());
				return null;
			}
			catch (RuntimeException ex) {
				this.ops.add(new Op(false, start, System.nanoTime(), false));
				this.unexpected.add("write failed unexpectedly: " + what + ": " + ex);
				return null;
			}
		}

		/**
		 * How long after the given moment the first call that started after it succeeded.
		 * @return milliseconds, or -1 when none did
		 */
		long firstSuccessAfter(long moment) {
			return this.ops.stream()
				.filter((op) -> op.succeeded && op.start >= moment)
				.mapToLong((op) -> (op.end - moment) / 1_000_000)
				.min()
				.orElse(-1);
		}

		void report(long killedAt, long restartedAt, long pausedAt) {
			long reads = this.ops.stream().filter(Op::read).count();
			long writes = this.ops.size() - reads;
			long failedWrites = this.ops.stream().filter((op) -> !op.read && !op.succeeded).count();
			logger.info(String.format(
					"%d reads (none may fail), %d writes (%d failed as allowed), %d creates and %d increments "
							+ "acknowledged, %d increments of unknown outcome; longest read in flight while killed "
							+ "%d ms, since the pause %d ms; first call started after the kill succeeded %d ms after "
							+ "it, after the pause %d ms after it",
					reads, writes, failedWrites, this.acknowledged.size(), this.incrementsAcknowledged.get(),
					this.incrementsUnknown.get(), longestRead(killedAt, restartedAt), longestRead(pausedAt, Long.MAX_VALUE),
					firstSuccessAfter(killedAt), firstSuccessAfter(pausedAt)));
		}

		/**
		 * The longest read that was in flight at some moment between the two.
		 */
		private long longestRead(long from, long to) {
			return this.ops.stream()
				.filter((op) -> op.read && op.end >= from && op.start < to)
				.mapToLong(Op::millis)
				.max()
				.orElse(0);
		}

		private record Op(boolean read, long start, long end, boolean succeeded) {

			long millis() {
				return (this.end - this.start) / 1_000_000;
			}

		}

	}

}
