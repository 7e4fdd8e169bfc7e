package org.etcdspring.watch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.etcdspring.core.EtcdCompactedException;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.TxnOp;
import org.etcdspring.support.EtcdAdmin;
import org.etcdspring.support.SharedEtcdTemplate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Watches against a real etcd process.
 */
@Tag("wire-format")
class WatchIntegrationTests extends SharedEtcdTemplate {

	@Test
	void watchShouldSeePutsAndDeletesWithPreviousValues() throws Exception {
		RecordingListener listener = new RecordingListener();
		try (Subscription subscription = template.watch(WatchRequest.key("watch/key").withPrevKv(), listener)) {
			awaitConnected(subscription);
			template.put("watch/key", "v1");
			template.put("watch/key", "v2");
			template.put("watch/other", "ignored");
			template.delete("watch/key");
			WatchEvent first = listener.next();
			WatchEvent second = listener.next();
			WatchEvent third = listener.next();
			assertThat(first.type()).isEqualTo(WatchEvent.Type.PUT);
			assertThat(first.kv().valueAsString()).isEqualTo("v1");
			assertThat(first.prevKv()).isNull();
			assertThat(second.prevKv().valueAsString()).isEqualTo("v1");
			assertThat(third.type()).isEqualTo(WatchEvent.Type.DELETE);
			assertThat(third.key()).isEqualTo("watch/key");
			assertThat(third.prevKv().valueAsString()).isEqualTo("v2");
			assertThat(third.revision()).isGreaterThan(second.revision());
			assertThat(subscription.nextRevision()).isEqualTo(third.revision() + 1);
		}
	}

	@Test
	void prefixWatchWithFiltersShouldDeliverOnlyTheAskedEvents() throws Exception {
		RecordingListener deletes = new RecordingListener();
		RecordingListener puts = new RecordingListener();
		try (Subscription onlyDeletes = template.watch(WatchRequest.prefix("filtered/").withoutPuts(), deletes);
				Subscription onlyPuts = template.watch(WatchRequest.prefix("filtered/").withoutDeletes(), puts)) {
			awaitConnected(onlyDeletes);
			awaitConnected(onlyPuts);
			template.put("filtered/a", "1");
			template.put("filtered/b/c", "2");
			template.delete("filtered/a");
			assertThat(deletes.next().type()).isEqualTo(WatchEvent.Type.DELETE);
			assertThat(puts.next().key()).isEqualTo("filtered/a");
			assertThat(puts.next().key()).isEqualTo("filtered/b/c");
			assertThat(deletes.events.poll(300, TimeUnit.MILLISECONDS)).isNull();
			assertThat(puts.events.poll(300, TimeUnit.MILLISECONDS)).isNull();
		}
	}

	@Test
	void watchFromARevisionShouldReplayHistoryInOrderIncludingTransactions() throws Exception {
		template.put("history/a", "1");
		long from = template.getEntry("history/a").modRevision();
		template.txn().then(TxnOp.put("history/b", "2"), TxnOp.put("history/c", "3")).commit();
		template.delete("history/a");
		try (Stream<WatchEvent> events = template.watchStream(WatchRequest.prefix("history/").fromRevision(from))) {
			List<WatchEvent> replayed = events.limit(4).toList();
			assertThat(replayed).extracting(WatchEvent::key)
				.containsExactly("history/a", "history/b", "history/c", "history/a");
			assertThat(replayed.get(1).revision()).isEqualTo(replayed.get(2).revision());
			assertThat(replayed.get(3).type()).isEqualTo(WatchEvent.Type.DELETE);
		}
	}

	@Test
	void watchFromACompactedRevisionShouldFailWithTheCompactRevision() throws Exception {
		template.put("compacted/key", "1");
		long old = template.getEntry("compacted/key").modRevision();
		template.put("compacted/key", "2");
		long compactTo = template.getEntry("compacted/key").modRevision();
		EtcdAdmin.compact(etcd.endpoint(), compactTo);
		RecordingListener listener = new RecordingListener();
		Subscription subscription = template.watch(WatchRequest.key("compacted/key").fromRevision(old), listener);
		EtcdException error = listener.errors.poll(5, TimeUnit.SECONDS);
		assertThat(error).isInstanceOf(EtcdCompactedException.class);
		assertThat(((EtcdCompactedException) error).getCompactRevision()).isEqualTo(compactTo);
		assertThat(subscription.isActive()).isFalse();
		try (Stream<WatchEvent> stream = template.watchStream(WatchRequest.key("compacted/key").fromRevision(old))) {
			assertThatExceptionOfType(EtcdCompactedException.class).isThrownBy(() -> stream.findFirst());
		}
	}

	@Test
	void closingAWatchShouldEndItsStreamOnTheServer() throws Exception {
		long before = EtcdAdmin.watchStreams(etcd.endpoint());
		RecordingListener listener = new RecordingListener();
		Subscription subscription = template.watch("closing/key", listener);
		awaitConnected(subscription);
		awaitWatchStreams(before + 1);
		subscription.close();
		assertThat(subscription.isActive()).isFalse();
		awaitWatchStreams(before);
		template.put("closing/key", "after close");
		assertThat(listener.events.poll(500, TimeUnit.MILLISECONDS)).isNull();
	}

	@Test
	void closingAWatchStreamShouldEndTheWatch() throws Exception {
		long next = template.txn().commit().revision() + 1;
		Stream<WatchEvent> stream = template.watchStream(WatchRequest.key("stream/key").fromRevision(next));
		CompletableFuture<List<WatchEvent>> firstTwo = CompletableFuture.supplyAsync(() -> stream.limit(2).toList());
		template.put("stream/key", "1");
		template.put("stream/key", "2");
		assertThat(firstTwo.get(5, TimeUnit.SECONDS)).extracting((event) -> event.kv().valueAsString())
			.containsExactly("1", "2");
		int active = template.getWatches().activeCount();
		stream.close();
		assertThat(template.getWatches().activeCount()).isEqualTo(active - 1);
	}

	@Test
	void badRequestsShouldBeRejectedBeforeAnyCall() {
		assertThatIllegalArgumentException().isThrownBy(() -> WatchRequest.key(""));
		assertThatIllegalArgumentException().isThrownBy(() -> WatchRequest.prefix(null));
		assertThatIllegalArgumentException().isThrownBy(() -> WatchRequest.key("k").fromRevision(0));
		assertThatIllegalArgumentException().isThrownBy(() -> template.watch("k", null));
	}

	static void awaitConnected(Subscription subscription) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (subscription.nextRevision() == 0) {
			assertThat(System.nanoTime()).as("watch created in time").isLessThan(deadline);
			Thread.sleep(10);
		}
	}

	private static void awaitWatchStreams(long expected) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (EtcdAdmin.watchStreams(etcd.endpoint()) != expected) {
			assertThat(System.nanoTime()).as("server watch streams == %d", expected).isLessThan(deadline);
			Thread.sleep(50);
		}
	}

	static final class RecordingListener implements WatchListener {

		final BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();

		final BlockingQueue<EtcdException> errors = new LinkedBlockingQueue<>();

		@Override
		public void onEvent(WatchEvent event) {
			this.events.add(event);
		}

		@Override
		public void onError(EtcdException error) {
			this.errors.add(error);
		}

		WatchEvent next() throws InterruptedException {
			WatchEvent event = this.events.poll(5, TimeUnit.SECONDS);
			assertThat(event).as("an event within 5 s").isNotNull();
			return event;
		}

		List<WatchEvent> drain() {
			List<WatchEvent> drained = new ArrayList<>();
			this.events.drainTo(drained);
			return drained;
		}

	}

}
