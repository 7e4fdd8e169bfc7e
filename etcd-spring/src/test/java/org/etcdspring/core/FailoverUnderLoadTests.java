package org.etcdspring.core;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.lock.EtcdMutex;
import org.etcdspring.test.EtcdLocalCluster;
import org.etcdspring.test.EtcdMember;
import org.etcdspring.watch.Subscription;
import org.etcdspring.watch.WatchEvent;
import org.etcdspring.watch.WatchListener;
import org.etcdspring.watch.WatchRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failover under mixed load on a real 3-member cluster: 4 threads read and write with
 * compare-and-swap, a watch follows the written prefix, one thread holds a lock and
 * another client keeps trying to take it, while the member in use is killed (and
 * restarted), and later another member is paused (and resumed). The cluster keeps its
 * quorum throughout (one member down at a time), so no read may fail, every write either
 * succeeds or fails as unavailable / outcome unknown / timed out, every acknowledged
 * write is there afterwards, the watch delivers the prefix's history exactly (no revision
 * skipped, none twice), and the lock stays with its holder (its lease outlives every
 * outage) while the contender never gets it.
 */
@Tag("wire-format")
class FailoverUnderLoadTests {

	private static final Log logger = LogFactory.getLog(FailoverUnderLoadTests.class);

	private static final int THREADS = 4;

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

	/**
	 * The lock's session lease: comfortably longer than any outage below (a member down
	 * for a few seconds, an election), yet short enough to be renewed (every third of it)
	 * several times during the faults.
	 */
	private static final Duration LOCK_TTL = Duration.ofSeconds(15);

	private static final String PREFIX = "load/";

	private static final String COUNTER = PREFIX + "counter";

	private static final String END = PREFIX + "end";

	private static final String LOCK = "load-lock";

	@Test
	@Timeout(120)
	void mixedLoadShouldSurviveAKilledAndThenAPausedMember() throws InterruptedException {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(3);
				EtcdTransport transport = EtcdTransport.builder(endpoints(cluster, false))
					.requestTimeout(REQUEST_TIMEOUT)
					.build();
				EtcdTemplate etcd = new EtcdTemplate(transport);
				// The contender is another client, on a transport of its own that starts
				// at another member.
				EtcdTransport contenderTransport = EtcdTransport.builder(endpoints(cluster, true))
					.requestTimeout(REQUEST_TIMEOUT)
					.build();
				EtcdTemplate contenderEtcd = new EtcdTemplate(contenderTransport)) {
			Timeline timeline = new Timeline();
			etcd.setLockTtl(LOCK_TTL);
			contenderEtcd.setLockTtl(LOCK_TTL);
			etcd.put(COUNTER, 0);
			long firstRevision = etcd.getEntry(COUNTER).modRevision();
			PrefixWatch watch = PrefixWatch.start(etcd, firstRevision);
			assertThat(watch.awaitRevision(firstRevision, Duration.ofSeconds(10))).as("the watch started").isTrue();
			LockHolder holder = new LockHolder(etcd.lock(LOCK), timeline);
			LockContender contender = new LockContender(contenderEtcd.lock(LOCK), holder, timeline);
			Load load = new Load(etcd);
			try {
				holder.start();
				contender.start();
				load.start();
				Thread.sleep(2000);

				EtcdMember killed = memberAt(cluster, transport.currentEndpoint());
				long killedAt = timeline.mark("SIGKILL " + killed);
				killed.kill();
				Thread.sleep(3000);
				killed.restart();
				killed.awaitHealthy(Duration.ofSeconds(30));
				long restartedAt = timeline.mark("restarted " + killed);
				Thread.sleep(2000);

				EtcdMember paused = memberAt(cluster, transport.currentEndpoint());
				if (paused == killed) {
					paused = cluster.members().stream().filter((member) -> member != killed).findFirst().orElseThrow();
				}
				long pausedAt = timeline.mark("SIGSTOP " + paused);
				paused.pause();
				Thread.sleep(5000);
				paused.resume();
				long resumedAt = timeline.mark("SIGCONT " + paused);
				paused.awaitHealthy(Duration.ofSeconds(30));
				Thread.sleep(2000);
				load.stop();
				contender.stop();
				holder.stop();

				load.report(killedAt, restartedAt, pausedAt);
				assertThat(load.unexpected).as("reads that failed and writes that failed unexpectedly").isEmpty();
				assertThat(load.firstSuccessAfter(killedAt)).as("progress after the kill").isPositive();
				assertThat(load.firstSuccessAfter(resumedAt)).as("progress after the resume").isPositive();
				// Every acknowledged write is there, with its value
				Map<String, Integer> stored = new ConcurrentHashMap<>();
				etcd.getPrefix("load/t")
					.forEach((entry) -> stored.put(entry.key(), Integer.valueOf(entry.valueAsString())));
				assertThat(stored).containsAllEntriesOf(load.acknowledged);
				// Increments either applied or not: acknowledged ones surely, unknown
				// ones maybe
				int counter = etcd.get(COUNTER, Integer.class);
				assertThat(counter).isBetween((int) load.incrementsAcknowledged.get(),
						(int) (load.incrementsAcknowledged.get() + load.incrementsUnknown.get()));

				// The watch delivered the prefix's history exactly: read it afterwards
				// from the server, from the
				// watch's first revision to a last write made now.
				etcd.put(END, "end");
				long lastRevision = etcd.getEntry(END).modRevision();
				assertThat(watch.awaitRevision(lastRevision, Duration.ofSeconds(15)))
					.as("the watch reached the last revision " + lastRevision)
					.isTrue();
				List<Change> history = history(etcd, firstRevision, lastRevision);
				List<Change> seen = new ArrayList<>(watch.seen);
				logger.info(String.format(
						"the watch delivered %d events (history: %d) from revision %d to %d; "
								+ "%d watch reconnects, %d lease keep-alive failures",
						seen.size(), history.size(), firstRevision, lastRevision, etcd.getWatches().reconnectCount(),
						etcd.leases().keepAliveFailureCount()));
				assertThat(watch.errors).as("errors that ended the watch").isEmpty();
				assertThat(duplicates(seen)).as("revisions the watch delivered more than once").isEmpty();
				assertThat(missing(history, seen)).as("revisions of the prefix's history the watch skipped").isEmpty();
				assertThat(seen).as("the watch's events against the prefix's history").isEqualTo(history);
				assertThat(seen.stream().map(Change::key).collect(Collectors.toSet()))
					.as("keys the watch saw, against the acknowledged creates")
					.containsAll(load.acknowledged.keySet());

				// The holder kept the lock throughout, and nobody else took it.
				contender.report();
				assertThat(holder.violations).as("lapses of the held lock").isEmpty();
				assertThat(holder.holderReadsAfter(resumedAt)).as("reads of the holder after the resume").isPositive();
				assertThat(contender.violations)
					.as("second holders, and reads of the holder that failed or showed "
							+ "another one, as the contender saw them")
					.isEmpty();
				assertThat(contender.refusalsAfter(resumedAt)).as("the contender's attempts refused after the resume")
					.isPositive();
				assertThat(etcd.locks().lostLockCount()).as("locks the holder's client lost").isZero();
				watch.close();
			}
			finally {
				load.halt();
				contender.halt();
				holder.halt();
			}
		}
	}

	private static List<URI> endpoints(EtcdLocalCluster cluster, boolean reversed) {
		List<URI> endpoints = new ArrayList<>(cluster.endpoints().stream().map(URI::create).toList());
		if (reversed) {
			Collections.reverse(endpoints);
		}
		return endpoints;
	}

	private static EtcdMember memberAt(EtcdLocalCluster cluster, URI endpoint) {
		return cluster.members()
			.stream()
			.filter((member) -> member.clientEndpoint().equals(endpoint.toString()))
			.findFirst()
			.orElseThrow();
	}

	/**
	 * The truth: every change of the prefix from the first revision through the last,
	 * read afterwards by a fresh watch.
	 */
	private static List<Change> history(EtcdTemplate etcd, long firstRevision, long lastRevision) {
		List<Change> history = new ArrayList<>();
		try (Stream<WatchEvent> replay = etcd.watchStream(WatchRequest.prefix(PREFIX).fromRevision(firstRevision))) {
			Iterator<WatchEvent> events = replay.iterator();
			while (history.isEmpty() || history.get(history.size() - 1).revision() < lastRevision) {
				history.add(Change.of(events.next()));
			}
		}
		return history;
	}

	private static Set<Long> duplicates(List<Change> changes) {
		Set<Change> distinct = new HashSet<>();
		return changes.stream()
			.filter((change) -> !distinct.add(change))
			.map(Change::revision)
			.collect(Collectors.toCollection(TreeSet::new));
	}

	private static Set<Long> missing(List<Change> history, List<Change> seen) {
		Set<Change> delivered = new HashSet<>(seen);
		return history.stream()
			.filter((change) -> !delivered.contains(change))
			.map(Change::revision)
			.collect(Collectors.toCollection(TreeSet::new));
	}

	/**
	 * Time since the test began, for the log and to tell before from after a fault.
	 */
	private static final class Timeline {

		private final long start = System.nanoTime();

		long mark(String event) {
			long now = System.nanoTime();
			logger.info(String.format("%6d ms: %s", millis(now), event));
			return now;
		}

		long millis(long nanoTime) {
			return (nanoTime - this.start) / 1_000_000;
		}

		String now() {
			return millis(System.nanoTime()) + " ms: ";
		}

	}

	/**
	 * One change of a key, as a watch delivers it.
	 */
	private record Change(long revision, String key, WatchEvent.Type type) {

		static Change of(WatchEvent event) {
			return new Change(event.revision(), event.key(), event.type());
		}

	}

	/**
	 * A watch on the prefix the load writes, from a given revision on, recording what it
	 * delivers.
	 */
	private static final class PrefixWatch implements WatchListener {

		/**
		 * The events in delivery order (a watch's events are delivered one at a time).
		 */
		final Queue<Change> seen = new ConcurrentLinkedQueue<>();

		final Queue<EtcdException> errors = new ConcurrentLinkedQueue<>();

		private volatile long lastRevision;

		private @Nullable Subscription subscription;

		static PrefixWatch start(EtcdTemplate etcd, long fromRevision) {
			PrefixWatch watch = new PrefixWatch();
			watch.subscription = etcd.watch(WatchRequest.prefix(PREFIX).fromRevision(fromRevision), watch);
			return watch;
		}

		@Override
		public void onEvent(WatchEvent event) {
			this.seen.add(Change.of(event));
			this.lastRevision = event.revision();
		}

		@Override
		public void onError(EtcdException error) {
			logger.error("The watch of " + PREFIX + " ended", error);
			this.errors.add(error);
		}

		boolean awaitRevision(long revision, Duration timeout) throws InterruptedException {
			long deadline = System.nanoTime() + timeout.toNanos();
			while (this.lastRevision < revision && this.errors.isEmpty() && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			return this.lastRevision >= revision;
		}

		void close() {
			if (this.subscription != null) {
				this.subscription.close();
			}
		}

	}

	/**
	 * Holds the lock on a thread of its own from start to stop, checking every 50 ms that
	 * it is still held with the same fencing token, and every half second that etcd names
	 * it as the holder; then releases it (which fails if its key is gone).
	 */
	private static final class LockHolder {

		private static final int MAX_VIOLATIONS = 20;

		private final EtcdMutex mutex;

		private final Timeline timeline;

		private final Thread thread;

		private final CountDownLatch taken = new CountDownLatch(1);

		private volatile boolean running = true;

		private volatile @Nullable String ownerKey;

		private volatile long fencingToken;

		private final Queue<Long> holderReads = new ConcurrentLinkedQueue<>();

		final Queue<String> violations = new ConcurrentLinkedQueue<>();

		LockHolder(EtcdMutex mutex, Timeline timeline) {
			this.mutex = mutex;
			this.timeline = timeline;
			this.thread = new Thread(this::run, "lock-holder");
		}

		void start() throws InterruptedException {
			this.thread.start();
			assertThat(this.taken.await(10, TimeUnit.SECONDS)).as("the holder took the lock in time").isTrue();
			assertThat(this.violations).as("failures to take the lock").isEmpty();
			this.timeline.mark("lock taken: key " + this.ownerKey + ", fencing token " + this.fencingToken);
		}

		void stop() throws InterruptedException {
			this.running = false;
			this.thread.join(Duration.ofSeconds(30).toMillis());
			assertThat(this.thread.isAlive()).as(this.thread.getName() + " ended").isFalse();
		}

		void halt() {
			this.running = false;
		}

		boolean isHolder(@Nullable KeyValue holder) {
			return holder != null && holder.key().equals(this.ownerKey) && holder.createRevision() == this.fencingToken;
		}

		long holderReadsAfter(long moment) {
			return this.holderReads.stream().filter((start) -> start >= moment).count();
		}

		private void run() {
			try {
				this.mutex.lock();
				this.ownerKey = this.mutex.ownerKey();
				this.fencingToken = this.mutex.fencingToken();
			}
			catch (RuntimeException ex) {
				this.violations.add("taking the lock failed: " + ex);
				return;
			}
			finally {
				this.taken.countDown();
			}
			try {
				for (int n = 0; this.running; n++) {
					check(n % 10 == 0);
					Thread.sleep(50);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			// After the faults: held still, and named the holder by etcd.
			check(true);
			try {
				this.mutex.unlock();
			}
			catch (ConcurrentModificationException ex) {
				violate("unlocking found the lock lost: " + ex.getMessage());
			}
		}

		private void check(boolean readHolder) {
			if (!this.mutex.isHeld()) {
				violate("isHeld() turned false");
			}
			if (this.mutex.fencingToken() != this.fencingToken) {
				violate("the fencing token changed from " + this.fencingToken + " to " + this.mutex.fencingToken());
			}
			if (readHolder) {
				long start = System.nanoTime();
				try {
					KeyValue holder = this.mutex.holder();
					this.holderReads.add(start);
					if (!isHolder(holder)) {
						violate("etcd named another holder: " + holder);
					}
				}
				catch (RuntimeException ex) {
					violate("reading the holder failed: " + ex);
				}
			}
		}

		private void violate(String violation) {
			if (this.violations.size() < MAX_VIOLATIONS) {
				this.violations.add(this.timeline.now() + violation);
			}
		}

	}

	/**
	 * Another client that tries to take the held lock every 200 ms (without waiting) and
	 * reads who holds it: it must never get it, and always see the holder.
	 */
	private static final class LockContender {

		private static final int MAX_VIOLATIONS = 20;

		private final EtcdMutex mutex;

		private final LockHolder holder;

		private final Timeline timeline;

		private final Thread thread;

		private volatile boolean running = true;

		private final Queue<Long> refusals = new ConcurrentLinkedQueue<>();

		private final AtomicLong failedAsAllowed = new AtomicLong();

		final Queue<String> violations = new ConcurrentLinkedQueue<>();

		LockContender(EtcdMutex mutex, LockHolder holder, Timeline timeline) {
			this.mutex = mutex;
			this.holder = holder;
			this.timeline = timeline;
			this.thread = new Thread(this::run, "lock-contender");
		}

		void start() {
			this.thread.start();
		}

		void stop() throws InterruptedException {
			this.running = false;
			this.thread.join(Duration.ofSeconds(30).toMillis());
			assertThat(this.thread.isAlive()).as(this.thread.getName() + " ended").isFalse();
		}

		void halt() {
			this.running = false;
		}

		long refusalsAfter(long moment) {
			return this.refusals.stream().filter((start) -> start >= moment).count();
		}

		void report() {
			logger.info(String.format("the contender was refused the lock %d times; %d attempts failed as allowed",
					this.refusals.size(), this.failedAsAllowed.get()));
		}

		private void run() {
			try {
				while (this.running) {
					attempt();
					readHolder();
					Thread.sleep(200);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		private void attempt() {
			long start = System.nanoTime();
			try {
				if (this.mutex.tryLock()) {
					try {
						violate("the contender took the lock, with fencing token " + this.mutex.fencingToken());
					}
					finally {
						this.mutex.unlock();
					}
				}
				else {
					this.refusals.add(start);
				}
			}
			catch (EtcdOutcomeUnknownException | EtcdUnavailableException | EtcdTimeoutException ex) {
				// Taking a lock writes (a lease, a key): during a fault it may fail like
				// any write.
				this.failedAsAllowed.incrementAndGet();
				logger.info("tryLock of the contender failed as allowed: " + ex.getClass().getSimpleName() + ": "
						+ ex.getMessage());
			}
			catch (RuntimeException ex) {
				violate("tryLock failed unexpectedly: " + ex);
			}
		}

		private void readHolder() {
			try {
				KeyValue holder = this.mutex.holder();
				if (!this.holder.isHolder(holder)) {
					violate("etcd named another holder: " + holder);
				}
			}
			catch (RuntimeException ex) {
				violate("reading the holder failed: " + ex);
			}
		}

		private void violate(String violation) {
			if (this.violations.size() < MAX_VIOLATIONS) {
				this.violations.add(this.timeline.now() + violation);
			}
		}

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

		void halt() {
			this.running = false;
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
					this.incrementsUnknown.get(), longestRead(killedAt, restartedAt),
					longestRead(pausedAt, Long.MAX_VALUE), firstSuccessAfter(killedAt), firstSuccessAfter(pausedAt)));
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
