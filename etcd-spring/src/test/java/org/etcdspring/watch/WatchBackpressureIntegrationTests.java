package org.etcdspring.watch;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.Namespace;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdLocalCluster;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A listener that falls behind stops the stream rather than growing the heap, and a
 * listener that throws, an {@link Error} included, still receives the next events:
 * against a real etcd process.
 */
@Tag("wire-format")
class WatchBackpressureIntegrationTests {

	private static final int EVENTS = 100_000;

	private static final int WRITERS = 16;

	/**
	 * The listener spends this long on each event while the events are written: about a
	 * hundred times longer than the writers take per event here (about 0.5 ms), so that
	 * without flow control nearly every event would wait in memory. Once the writers are
	 * done, it takes the rest at full speed.
	 */
	private static final long SLOW_LISTENER_MILLIS = 50;

	@Test
	@Timeout(600)
	void aSlowListenerShouldHoldBackTheStreamAndStillGetEveryEventInOrder() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1);
				// One event per revision: no batching of the writers' puts into shared
				// revisions.
				EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(cluster.endpoint())))
					.batching(false)
					.build();
				EtcdTemplate etcd = new EtcdTemplate(transport);
				EtcdWatches watches = new EtcdWatches(transport, Namespace.NONE)) {
			etcd.put("other", "start");
			long firstRevision = etcd.getEntry("other").modRevision() + 1;
			AtomicBoolean writing = new AtomicBoolean(true);
			long[] revisions = new long[EVENTS];
			AtomicLong received = new AtomicLong();
			AtomicLong outOfOrder = new AtomicLong();
			WatchStream watch = (WatchStream) watches.watch(WatchRequest.prefix("slow/").fromRevision(firstRevision),
					(event) -> {
						int index = (int) received.getAndIncrement();
						if (index < EVENTS) {
							revisions[index] = event.revision();
							if (index > 0 && revisions[index - 1] >= event.revision()) {
								outOfOrder.incrementAndGet();
							}
						}
						if (writing.get()) {
							sleep(SLOW_LISTENER_MILLIS);
						}
					});
			long start = System.nanoTime();
			List<Thread> writers = new ArrayList<>();
			for (int t = 0; t < WRITERS; t++) {
				int thread = t;
				writers.add(new Thread(() -> {
					for (int i = thread; i < EVENTS; i += WRITERS) {
						etcd.put("slow/" + (i % 100), i);
					}
				}, "slow-writer-" + t));
			}
			writers.forEach(Thread::start);
			for (Thread writer : writers) {
				writer.join();
			}
			Duration writingTime = Duration.ofNanos(System.nanoTime() - start);
			long receivedWhileWriting = received.get();
			int mostBufferedWhileWriting = watch.mostBufferedEvents();
			writing.set(false);
			long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
			while (received.get() < EVENTS && System.nanoTime() < deadline) {
				Thread.sleep(100);
			}
			System.out.printf("%d events written in %s; the listener had %d of them by then, at most %d buffered%n",
					EVENTS, writingTime, receivedWhileWriting, mostBufferedWhileWriting);
			// The listener was far behind: without flow control, nearly all would have
			// waited in memory.
			assertThat(receivedWhileWriting).isLessThan(EVENTS / 4);
			assertThat(watch.mostBufferedEvents()).isLessThanOrEqualTo(WatchStream.MAX_BUFFERED_EVENTS);
			assertThat(received.get()).isEqualTo(EVENTS);
			assertThat(outOfOrder.get()).isZero();
			// Every revision from the first write on, each once: nothing lost, nothing
			// repeated.
			assertThat(revisions[0]).isEqualTo(firstRevision);
			assertThat(revisions[EVENTS - 1]).isEqualTo(firstRevision + EVENTS - 1);
			assertThat(watches.listenerFailureCount()).isZero();
		}
	}

	@Test
	@Timeout(60)
	void aListenerThatThrowsAnErrorShouldKeepReceivingTheNextEvents() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1);
				EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(cluster.endpoint()))).build();
				EtcdTemplate etcd = new EtcdTemplate(transport);
				EtcdWatches watches = new EtcdWatches(transport, Namespace.NONE)) {
			BlockingQueue<String> values = new LinkedBlockingQueue<>();
			// From the next revision: a watch from "now" may start after the first put
			long from = etcd.txn().commit().revision() + 1;
			Subscription subscription = watches.watch(WatchRequest.key("throwing").fromRevision(from),
					new WatchListener() {

						@Override
						public void onEvent(WatchEvent event) {
							String value = event.kv().valueAsString();
							values.add(value);
							if (value.startsWith("error")) {
								throw new StackOverflowError("injected by the listener");
							}
							if (value.startsWith("exception")) {
								throw new IllegalStateException("injected by the listener");
							}
						}

						@Override
						public void onError(EtcdException error) {
							values.add("watch failed: " + error);
						}
					});
			try {
				for (String value : List.of("first", "error-1", "second", "exception", "third", "error-2", "last")) {
					etcd.put("throwing", value);
				}
				List<String> seen = new ArrayList<>();
				for (int i = 0; i < 7; i++) {
					String value = values.poll(20, TimeUnit.SECONDS);
					assertThat(value).as("event " + i + " after " + seen).isNotNull();
					seen.add(value);
				}
				assertThat(seen).containsExactly("first", "error-1", "second", "exception", "third", "error-2", "last");
				assertThat(watches.listenerFailureCount()).isEqualTo(3);
				assertThat(subscription.isActive()).isTrue();
			}
			finally {
				subscription.close();
			}
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
