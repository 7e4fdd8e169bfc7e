package org.etcdspring.core;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdRpc;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.core.transport.Kv;
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
			Queue<Failure> failures = new ConcurrentLinkedQueue<>();
			Queue<Long> successes = new ConcurrentLinkedQueue<>();
			Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
			List<Thread> callers = new ArrayList<>();
			for (int t = 0; t < 20; t++) {
				boolean writer = t % 2 == 0;
				int thread = t;
				callers.add(new Thread(() -> {
					for (int i = 0; !stop.get(); i++) {
						// A key of its own per write, so that a write reported as not
						// sent
						// can be looked for afterwards.
						String key = writer ? "blackout/" + thread + "/" + i : "blackout/seed";
						long start = System.nanoTime();
						try {
							if (writer) {
								etcd.put(key, i);
							}
							else {
								etcd.get(key);
							}
							successes.add(System.nanoTime());
						}
						catch (EtcdException ex) {
							failures.add(new Failure(key, writer, ex));
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
			long batchesBefore = transport.batchCount();
			cluster.members().forEach(EtcdMember::pause);
			long resumedAt;
			long batchesDuring;
			try {
				Thread.sleep(10_000);
			}
			finally {
				cluster.members().forEach(EtcdMember::resume);
				resumedAt = System.nanoTime();
				batchesDuring = transport.batchCount() - batchesBefore;
			}
			Thread.sleep(10_000);
			stop.set(true);
			for (Thread caller : callers) {
				caller.join(bound.plus(SLACK).toMillis() * 2);
			}
			assertThat(callers).as("callers still in a call").noneMatch(Thread::isAlive);
			Duration longest = Duration.ofNanos(longestNanos.get());
			long firstSuccessAfterResume = successes.stream()
				.filter((at) -> at > resumedAt)
				.mapToLong((at) -> at - resumedAt)
				.min()
				.orElse(Long.MAX_VALUE);
			Map<String, Long> kinds = failures.stream()
				.collect(Collectors.groupingBy(
						(failure) -> (failure.write() ? "write " : "read ")
								+ failure.exception().getClass().getSimpleName()
								+ (notSent(failure.exception()) ? " (not sent)" : ""),
						TreeMap::new, Collectors.counting()));
			System.out.printf(
					"Blackout of 3 members: %d calls failed %s, the longest call took %s (bound %s), "
							+ "the first success came %s after SIGCONT; %d batches during the blackout, %d in all%n",
					failures.size(), kinds, longest, bound, Duration.ofNanos(firstSuccessAfterResume), batchesDuring,
					transport.batchCount());
			assertThat(unexpected).isEmpty();
			assertThat(failures).as("calls failed during the blackout").isNotEmpty();
			assertThat(batchesDuring).as("batches sent during the blackout").isPositive();
			for (Failure failure : failures) {
				EtcdException ex = failure.exception();
				if (failure.write()) {
					// As documented under "Batching": a write that may have been applied
					// says so; one that certainly was not says that too.
					assertThat(ex.getClass()).as(String.valueOf(ex.getMessage()))
						.isIn(EtcdTimeoutException.class, EtcdOutcomeUnknownException.class,
								EtcdUnavailableException.class);
					assertThat(
							notSent(ex) || String.valueOf(ex.getMessage()).contains("the write may have been applied"))
						.as("says whether it may have been applied: " + ex.getMessage())
						.isTrue();
					if (ex instanceof EtcdUnavailableException) {
						assertThat(notSent(ex)).as("says nothing was written: " + ex.getMessage()).isTrue();
					}
				}
				else {
					assertThat(ex.getClass()).as(String.valueOf(ex.getMessage()))
						.isIn(EtcdTimeoutException.class, EtcdUnavailableException.class);
				}
			}
			assertThat(longest).as("the longest call").isLessThan(bound.plus(SLACK));
			// Measured at 0.02-1.0 s: 3 s leaves room for a loaded machine yet catches
			// callers that stay stuck after the cluster is back.
			assertThat(Duration.ofNanos(firstSuccessAfterResume)).as("the first success after SIGCONT")
				.isLessThan(Duration.ofSeconds(3));
			for (Failure failure : failures) {
				if (failure.write() && notSent(failure.exception())) {
					assertThat(etcd.get(failure.key())).as(failure.key() + " was reported as not sent").isNull();
				}
			}
		}
	}

	@Test
	@Timeout(120)
	void anInterruptedCallerShouldNeverMakeOtherCallersFailNorMoveThemToAnotherMember() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(3);
				EtcdTransport transport = EtcdTransport.builder(endpoints(cluster)).build();
				EtcdTemplate etcd = new EtcdTemplate(transport)) {
			URI endpoint = transport.currentEndpoint();
			Set<URI> endpointsUsed = ConcurrentHashMap.newKeySet();
			AtomicBoolean stop = new AtomicBoolean();
			Queue<Throwable> othersFailures = new ConcurrentLinkedQueue<>();
			// Keys whose write was reported as failed (not as outcome unknown), and keys
			// acknowledged.
			Map<String, Boolean> failed = new ConcurrentHashMap<>();
			Map<String, Boolean> acknowledged = new ConcurrentHashMap<>();
			AtomicLong interruptedFailures = new AtomicLong();
			AtomicLong interruptedReads = new AtomicLong();
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
			// Writes go through the batcher; reads with a timeout of their own go alone,
			// failed over by their caller: an interrupt must move neither off the member.
			Thread interrupted = new Thread(() -> {
				for (int i = 0; !stop.get(); i++) {
					String key = "storm/interrupted/" + i;
					if (i % 2 == 1) {
						try {
							transport.call(EtcdRpc.RANGE, Kv.RangeRequest.of(bytes(key), null, false), key,
									Duration.ofSeconds(9));
						}
						catch (EtcdException ex) {
							interruptedReads.incrementAndGet();
							checkInterruptFlag(lostInterrupts);
						}
						Thread.interrupted();
						continue;
					}
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
				endpointsUsed.add(transport.currentEndpoint());
				Thread.sleep(20);
			}
			stop.set(true);
			for (Thread caller : callers) {
				caller.join(30_000);
			}
			interrupted.join(30_000);
			endpointsUsed.add(transport.currentEndpoint());
			System.out.printf(
					"Interrupt storm: %d interrupted writes and %d interrupted reads failed, %d acknowledged writes, "
							+ "%d batches; endpoints in use: %s%n",
					interruptedFailures.get(), interruptedReads.get(), acknowledged.size(), transport.batchCount(),
					endpointsUsed);
			assertThat(callers).as("callers still in a call").noneMatch(Thread::isAlive);
			assertThat(interrupted.isAlive()).as("the interrupted caller is still in a call").isFalse();
			assertThat(othersFailures).as("failures of the callers that were never interrupted").isEmpty();
			assertThat(lostInterrupts.get()).as("failures of the interrupted caller without its interrupt flag")
				.isZero();
			assertThat(transport.batchCount()).as("batches sent").isPositive();
			assertThat(endpointsUsed).as("the member every call goes to first").containsExactly(endpoint);
			assertThat(acknowledged).isNotEmpty();
			assertThat(interruptedFailures.get()).as("interrupted writes that failed").isPositive();
			assertThat(interruptedReads.get()).as("interrupted reads that failed").isPositive();
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

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Whether the failure says the operation never left, so that nothing was written.
	 */
	private static boolean notSent(EtcdException ex) {
		String message = String.valueOf(ex.getMessage());
		return message.contains("it was not sent") || message.contains("nothing was written");
	}

	private record Failure(String key, boolean write, EtcdException exception) {

	}

}
