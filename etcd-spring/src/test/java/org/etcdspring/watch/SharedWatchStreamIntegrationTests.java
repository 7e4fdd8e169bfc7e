package org.etcdspring.watch;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.EtcdCompactedException;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.Namespace;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.support.EtcdAdmin;
import org.etcdspring.support.Eventually;
import org.etcdspring.test.EtcdLocalCluster;
import org.etcdspring.test.EtcdMember;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Watches opened together share one stream, and each keeps its own guarantees on it:
 * exact event sequences across a member restart and a move to a new stream, compaction
 * for the watch that needs it only, and a closed, throwing or slow watch never holds back
 * the others.
 */
class SharedWatchStreamIntegrationTests {

	@Test
	void everyWatchOfASharedStreamShouldResumeAfterAMemberRestartWithItsExactSequence() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1);
				EtcdTransport transport = transport(cluster, Duration.ofSeconds(2));
				EtcdTemplate etcd = new EtcdTemplate(transport);
				EtcdWatches watches = new EtcdWatches(transport, Namespace.NONE)) {
			long firstRevision = etcd.txn().commit().revision() + 1;
			Map<String, Recorder> recorders = recorders("restart/", 20);
			openTogether(watches, cluster.member(0), recorders, firstRevision);
			int written = 0;
			for (int i = 0; i < 400; i++) {
				if (i == 130) {
					cluster.member(0).kill();
				}
				if (i == 150) {
					cluster.member(0).restart();
				}
				if (write(etcd, "restart/" + (i % recorders.size()), "v" + i)) {
					written++;
				}
			}
			assertThat(written).isGreaterThanOrEqualTo(380);
			assertExactSequences(etcd, "restart/", firstRevision, recorders);
			assertThat(watches.reconnectCount()).isPositive();
			System.out.printf("%d watches on %d stream(s) after the restart%n", recorders.size(),
					watches.streamCount());
			recorders.values().forEach((recorder) -> assertThat(recorder.errors).isEmpty());
		}
	}

	@Test
	void compactionShouldEndOnlyTheWatchThatNeedsIt() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1);
				EtcdTransport transport = transport(cluster, Duration.ofSeconds(10));
				EtcdTemplate etcd = new EtcdTemplate(transport);
				EtcdWatches watches = new EtcdWatches(transport, Namespace.NONE)) {
			etcd.put("compacted/old", "1");
			long old = etcd.getEntry("compacted/old").modRevision();
			etcd.put("compacted/old", "2");
			etcd.put("compacted/old", "3");
			long compactRevision = etcd.getEntry("compacted/old").modRevision();
			EtcdAdmin.compact(cluster.endpoint(), compactRevision);
			long now = compactRevision + 1;
			Map<String, Recorder> recorders = recorders("compacted/", 4);
			Map<WatchRequest, Recorder> requests = new LinkedHashMap<>();
			Recorder compacted = new Recorder();
			requests.put(WatchRequest.key("compacted/old").fromRevision(old), compacted);
			recorders.forEach((key, recorder) -> requests.put(WatchRequest.key(key).fromRevision(now), recorder));
			List<Subscription> subscriptions = openTogether(watches, cluster.member(0), requests);
			Eventually.within(Duration.ofSeconds(20), () -> !compacted.errors.isEmpty());
			assertThat(compacted.errors).singleElement().isInstanceOf(EtcdCompactedException.class);
			assertThat(((EtcdCompactedException) compacted.errors.get(0)).getCompactRevision())
				.isEqualTo(compactRevision);
			assertThat(subscriptions.get(0).isActive()).isFalse();
			for (String key : recorders.keySet()) {
				etcd.put(key, "after");
			}
			assertExactSequences(etcd, "compacted/", now, recorders);
			assertThat(subscriptions.subList(1, subscriptions.size())).allMatch(Subscription::isActive);
			recorders.values().forEach((recorder) -> assertThat(recorder.errors).isEmpty());
		}
	}

	@Test
	void closingWatchesShouldLeaveTheOthersDeliveringAndMoveThemOnceHalfHaveClosed() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1);
				EtcdTransport transport = transport(cluster, Duration.ofSeconds(10));
				EtcdTemplate etcd = new EtcdTemplate(transport);
				EtcdWatches watches = new EtcdWatches(transport, Namespace.NONE)) {
			long firstRevision = etcd.txn().commit().revision() + 1;
			Map<String, Recorder> recorders = recorders("closing/", 6);
			List<Subscription> subscriptions = openTogether(watches, cluster.member(0), recorders, firstRevision);
			SharedStream shared = ((WatchStream) subscriptions.get(5)).stream();
			// Counted once the server has created them all: the six and openTogether's
			// first
			long watchersBefore = recorders.size() + 1;
			Eventually.within(Duration.ofSeconds(20), () -> EtcdAdmin.watchers(cluster.endpoint()) == watchersBefore);
			subscriptions.get(0).close();
			for (int i = 0; i < 60; i++) {
				etcd.put("closing/" + (i % 6), "a" + i);
			}
			Map<String, Recorder> open = new LinkedHashMap<>(recorders);
			Recorder closed = open.remove("closing/0");
			assertExactSequences(etcd, "closing/", firstRevision, open);
			assertThat(closed.events).isEmpty();
			// The others still share the stream: no move for one watch of six.
			assertThat(((WatchStream) subscriptions.get(5)).stream()).isSameAs(shared);
			// Half closed: the other three move to a stream of their own while the keys
			// keep changing.
			Thread writer = new Thread(() -> {
				for (int i = 0; i < 300; i++) {
					write(etcd, "closing/" + (3 + i % 3), "b" + i);
				}
			}, "closing-writer");
			writer.start();
			Thread.sleep(50);
			subscriptions.get(1).close();
			subscriptions.get(2).close();
			writer.join();
			open.remove("closing/1");
			open.remove("closing/2");
			assertExactSequences(etcd, "closing/", firstRevision, open);
			SharedStream moved = ((WatchStream) subscriptions.get(3)).stream();
			assertThat(moved).isNotNull().isNotSameAs(shared);
			assertThat(subscriptions.subList(3, 6))
				.allMatch((subscription) -> ((WatchStream) subscription).stream() == moved);
			// The old stream is closed: the server dropped the watches that closed on it.
			Eventually.within(Duration.ofSeconds(20),
					() -> EtcdAdmin.watchers(cluster.endpoint()) == watchersBefore - 3);
			subscriptions.forEach(Subscription::close);
			Eventually.within(Duration.ofSeconds(20), () -> watches.streamCount() == 1);
		}
	}

	@Test
	void aThrowingOrSlowListenerShouldHoldBackOnlyItsOwnWatch() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1);
				EtcdTransport transport = transport(cluster, Duration.ofSeconds(10));
				EtcdTemplate etcd = new EtcdTemplate(transport);
				EtcdWatches watches = new EtcdWatches(transport, Namespace.NONE)) {
			long firstRevision = etcd.txn().commit().revision() + 1;
			CountDownLatch slowReleased = new CountDownLatch(1);
			Map<String, Recorder> recorders = new LinkedHashMap<>();
			recorders.put("mixed/slow", new Recorder() {

				@Override
				public void onEvent(WatchEvent event) {
					try {
						slowReleased.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					super.onEvent(event);
				}

			});
			recorders.put("mixed/throwing", new Recorder() {

				@Override
				public void onEvent(WatchEvent event) {
					super.onEvent(event);
					throw new IllegalStateException("injected by the listener");
				}

			});
			recorders.put("mixed/a", new Recorder());
			recorders.put("mixed/b", new Recorder());
			List<Subscription> subscriptions = openTogether(watches, cluster.member(0), recorders, firstRevision);
			// More events for the slow watch than its buffer holds, the others' in
			// between.
			int slowEvents = WatchStream.MAX_BUFFERED_EVENTS + 300;
			for (int i = 0; i < slowEvents; i++) {
				etcd.put("mixed/slow", "s" + i);
				if (i % 100 == 0) {
					etcd.put("mixed/throwing", "t" + i);
					etcd.put("mixed/a", "a" + i);
					etcd.put("mixed/b", "b" + i);
				}
			}
			Map<String, Recorder> others = new LinkedHashMap<>(recorders);
			Recorder slow = others.remove("mixed/slow");
			// The slow listener still blocks on its first event: the others have all of
			// theirs.
			assertExactSequences(etcd, "mixed/", firstRevision, others);
			assertThat(slow.events).isEmpty();
			assertThat(((WatchStream) subscriptions.get(0)).mostBufferedEvents())
				.isLessThanOrEqualTo(WatchStream.MAX_BUFFERED_EVENTS);
			slowReleased.countDown();
			assertExactSequences(etcd, "mixed/", firstRevision, recorders);
			assertThat(watches.listenerFailureCount()).isEqualTo(others.get("mixed/throwing").events.size());
			assertThat(subscriptions).allMatch(Subscription::isActive);
		}
	}

	private static EtcdTransport transport(EtcdLocalCluster cluster, Duration requestTimeout) {
		return EtcdTransport.builder(List.of(URI.create(cluster.endpoint()))).requestTimeout(requestTimeout).build();
	}

	private static Map<String, Recorder> recorders(String prefix, int count) {
		Map<String, Recorder> recorders = new LinkedHashMap<>();
		for (int i = 0; i < count; i++) {
			recorders.put(prefix + i, new Recorder());
		}
		return recorders;
	}

	private static List<Subscription> openTogether(EtcdWatches watches, EtcdMember member,
			Map<String, Recorder> recorders, long fromRevision) throws InterruptedException {
		Map<WatchRequest, Recorder> requests = new LinkedHashMap<>();
		recorders.forEach((key, recorder) -> requests.put(WatchRequest.key(key).fromRevision(fromRevision), recorder));
		return openTogether(watches, member, requests);
	}

	/**
	 * Open the watches while a first one waits for its stream's answer from a paused
	 * member: so they all go out together, on one stream of their own.
	 */
	private static List<Subscription> openTogether(EtcdWatches watches, EtcdMember member,
			Map<WatchRequest, Recorder> requests) throws InterruptedException {
		List<Subscription> subscriptions = new ArrayList<>();
		member.pause();
		try {
			WatchStream first = (WatchStream) watches.watch(WatchRequest.key("first"), (event) -> {
			});
			Eventually.within(Duration.ofSeconds(5), () -> first.stream() != null);
			requests.forEach((request, recorder) -> subscriptions.add(watches.watch(request, recorder)));
		}
		finally {
			member.resume();
		}
		Eventually.within(Duration.ofSeconds(20), () -> subscriptions.stream()
			.allMatch((subscription) -> ((WatchStream) subscription).stream() != null || !subscription.isActive()));
		SharedStream shared = subscriptions.stream()
			.map((subscription) -> ((WatchStream) subscription).stream())
			.filter((stream) -> stream != null)
			.findFirst()
			.orElseThrow();
		assertThat(subscriptions)
			.allMatch((subscription) -> ((WatchStream) subscription).stream() == shared || !subscription.isActive());
		assertThat(watches.streamCount()).isEqualTo(2);
		return subscriptions;
	}

	/**
	 * Wait until each watch has seen exactly the history of its key since the given
	 * revision, as a fresh watch of the prefix reads it from the server afterwards.
	 */
	private static void assertExactSequences(EtcdTemplate etcd, String prefix, long fromRevision,
			Map<String, Recorder> recorders) throws InterruptedException {
		Map<String, List<String>> history = new HashMap<>();
		long last = etcd.txn().commit().revision();
		try (Stream<WatchEvent> replay = etcd.watchStream(WatchRequest.prefix(prefix).fromRevision(fromRevision))) {
			Iterator<WatchEvent> events = replay.iterator();
			long seen = fromRevision - 1;
			while (seen < last) {
				WatchEvent event = events.next();
				seen = event.revision();
				history.computeIfAbsent(event.key(), (key) -> new ArrayList<>()).add(describe(event));
			}
		}
		recorders.forEach((key, recorder) -> {
			List<String> expected = history.getOrDefault(key, List.of());
			try {
				Eventually.within(Duration.ofSeconds(30), () -> recorder.events.size() >= expected.size());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (AssertionError ex) {
				// Compared below, with the difference in the message.
			}
			assertThat(new ArrayList<>(recorder.events)).as("events of %s", key).isEqualTo(expected);
		});
	}

	private static String describe(WatchEvent event) {
		return event.revision() + ":" + event.type() + ":" + event.kv().valueAsString();
	}

	private static boolean write(EtcdTemplate etcd, String key, String value) {
		try {
			etcd.put(key, value);
			return true;
		}
		catch (EtcdException ex) {
			// The member is down: the watches must still agree with the history.
			return false;
		}
	}

	static class Recorder implements WatchListener {

		final List<String> events = new CopyOnWriteArrayList<>();

		final List<EtcdException> errors = new CopyOnWriteArrayList<>();

		@Override
		public void onEvent(WatchEvent event) {
			this.events.add(describe(event));
		}

		@Override
		public void onError(EtcdException error) {
			this.errors.add(error);
		}

	}

}
