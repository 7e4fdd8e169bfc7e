package org.etcdspring.core;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdLocalCluster;
import org.etcdspring.test.EtcdMember;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every call ends within its deadline under faults, with batching on, and no caller pays
 * for another caller's interrupt: against real etcd processes that are stopped (SIGSTOP),
 * killed and restarted.
 */
@Tag("wire-format")
class CallDeadlineFaultTests {

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);

	/**
	 * Generous room for a loaded 2-core machine on top of a documented bound.
	 */
	private static final Duration SLACK = Duration.ofSeconds(3);

	@Test
	@Timeout(120)
	void everyCallShouldEndWithinItsBoundWhileTheWholeClusterIsStopped() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(3);
				EtcdTransport transport = EtcdTransport.builder(endpoints(cluster))
					.requestTimeout(REQUEST_TIMEOUT)
					.build();
				EtcdTemplate etcd = new EtcdTemplate(transport)) {
			etcd.put("blackout/seed", "v");
			// One request timeout per endpoint: pauses between rounds and waiting for a
			// batch included.
			Duration bound = REQUEST_TIMEOUT.multipliedBy(3);
			AtomicBoolean stop = new AtomicBoolean();
			AtomicLong longestNanos = new AtomicLong();
			AtomicLong failures = new AtomicLong();
			Queue<Long> successes = new ConcurrentLinkedQueue<>();
			Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
			List<Thread> callers = new ArrayList<>();
			for (int t = 0; t < 20; t++) {
				boolean writer = t % 2 == 0;
				int thread = t;
				callers.add(new Thread(() -> {
					for (int i = 0; !stop.get(); i++) {
						long start = System.nanoTime();
						try {
							if (writer) {
								etcd.put("blackout/" + thread + "/" + (i % 20), i);
							}
							else {
								etcd.get("blackout/seed");
							}
							successes.add(System.nanoTime());
						}
						catch (EtcdException ex) {
							failures.incrementAndGet();
						}
						catch (Throwable ex) {
							unexpected.add(ex);
						}
						longestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
					}
				}, "blackout-caller-" + t));
			}
			callers.forEach(Thread::start);
			Thread.sleep(1000);
			cluster.members().forEach(EtcdMember::pause);
			long resumedAt;
			try {
				Thread.sleep(10_000);
			}
			finally {
				cluster.members().forEach(EtcdMember::resume);
				resumedAt = System.nanoTime();
			}
			Thread.sleep(10_000);
			stop.set(true);
			for (Thread caller : callers) {
				caller.join(bound.plus(SLACK).toMillis() * 2);
			}
			Duration longest = Duration.ofNanos(longestNanos.get());
			long firstSuccessAfterResume = successes.stream()
				.filter((at) -> at > resumedAt)
				.mapToLong((at) -> at - resumedAt)
				.min()
				.orElse(Long.MAX_VALUE);
			System.out.printf(
					"Blackout of 3 members: %d calls failed, the longest call took %s (bound %s), "
							+ "the first success came %s after SIGCONT%n",
					failures.get(), longest, bound, Duration.ofNanos(firstSuccessAfterResume));
			assertThat(unexpected).isEmpty();
			assertThat(failures.get()).as("calls failed during the blackout").isPositive();
			assertThat(longest).as("the longest call").isLessThan(bound.plus(SLACK));
			assertThat(Duration.ofNanos(firstSuccessAfterResume)).as("the first success after SIGCONT")
				.isLessThan(Duration.ofSeconds(8));
		}
	}

	@Test
	@Timeout(120)
	void anInterruptedWriterShouldNeverMakeOtherCallersFail() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1);
				EtcdTransport transport = EtcdTransport.builder(endpoints(cluster)).build();
				EtcdTemplate etcd = new EtcdTemplate(transport)) {
			AtomicBoolean stop = new AtomicBoolean();
			Queue<Throwable> othersFailures = new ConcurrentLinkedQueue<>();
			// Keys whose write was reported as failed (not as outcome unknown), and keys
			// acknowledged.
			Map<String, Boolean> failed = new ConcurrentHashMap<>();
			Map<String, Boolean> acknowledged = new ConcurrentHashMap<>();
			AtomicLong interruptedFailures = new AtomicLong();
			AtomicLong lostInterrupts = new AtomicLong();
			List<Thread> callers = new ArrayList<>();
			for (int t = 0; t < 32; t++) {
				int thread = t;
				callers.add(new Thread(() -> {
					for (int i = 0; !stop.get(); i++) {
						String key = "storm/" + thread + "/" + i;
						try {
							if (etcd.putIfAbsent(key, "v")) {
								acknowledged.put(key, true);
							}
							else {
								othersFailures.add(new AssertionError(key + " was already present"));
							}
						}
						catch (Throwable ex) {
							othersFailures.add(ex);
						}
					}
				}, "storm-caller-" + t));
			}
			Thread interrupted = new Thread(() -> {
				for (int i = 0; !stop.get(); i++) {
					String key = "storm/interrupted/" + i;
					try {
						if (etcd.putIfAbsent(key, "v")) {
							acknowledged.put(key, true);
						}
					}
					catch (EtcdOutcomeUnknownException | EtcdTimeoutException ex) {
						// May have been applied: nothing to check.
						checkInterruptFlag(lostInterrupts);
					}
					catch (EtcdException ex) {
						failed.put(key, true);
						interruptedFailures.incrementAndGet();
						checkInterruptFlag(lostInterrupts);
					}
					Thread.interrupted();
				}
			}, "storm-interrupted");
			callers.forEach(Thread::start);
			interrupted.start();
			long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			while (System.nanoTime() < end) {
				interrupted.interrupt();
				Thread.sleep(20);
			}
			stop.set(true);
			for (Thread caller : callers) {
				caller.join(30_000);
			}
			interrupted.join(30_000);
			assertThat(othersFailures).as("failures of the callers that were never interrupted").isEmpty();
			assertThat(lostInterrupts.get()).as("failures of the interrupted writer without its interrupt flag")
				.isZero();
			assertThat(acknowledged).isNotEmpty();
			assertThat(interruptedFailures.get()).as("interrupted writes that failed").isPositive();
			for (String key : acknowledged.keySet()) {
				assertThat(etcd.get(key)).as(key + " was acknowledged").isEqualTo("v");
			}
			for (String key : failed.keySet()) {
				assertThat(etcd.get(key)).as(key + " was reported as failed").isNull();
			}
		}
	}

	private static void checkInterruptFlag(AtomicLong lostInterrupts) {
		if (!Thread.currentThread().isInterrupted()) {
			lostInterrupts.incrementAndGet();
		}
	}

	@Test
	@Timeout(60)
	void callsToAClusterThatRefusesConnectionsShouldFailAtOnceAndSaySo() {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1);
				EtcdTransport transport = EtcdTransport.builder(endpoints(cluster))
					.requestTimeout(Duration.ofSeconds(10))
					.build();
				EtcdTemplate etcd = new EtcdTemplate(transport)) {
			etcd.put("refused/key", "v");
			cluster.member(0).kill();
			try {
				long start = System.nanoTime();
				assertThatExceptionOfType(EtcdUnavailableException.class).isThrownBy(() -> etcd.get("refused/key"))
					.withMessageContaining("connection refused")
					.withMessageNotContaining("timed out");
				assertThatExceptionOfType(EtcdUnavailableException.class).isThrownBy(() -> etcd.put("refused/key", "w"))
					.withMessageContaining("connection refused")
					.withMessageContaining("nothing was written");
				// Far below the 10 s request timeout: nothing listens, and waiting would
				// not change that.
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
			}
			finally {
				cluster.member(0).restart();
				cluster.member(0).awaitHealthy(Duration.ofSeconds(30));
			}
			assertThat(etcd.get("refused/key")).isEqualTo("v");
		}
	}

	private static List<URI> endpoints(EtcdLocalCluster cluster) {
		return cluster.endpoints().stream().map(URI::create).toList();
	}

}
