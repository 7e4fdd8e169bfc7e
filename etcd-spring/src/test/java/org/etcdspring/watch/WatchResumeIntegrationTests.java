package org.etcdspring.watch;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.support.Eventually;
import org.etcdspring.test.EtcdLocalCluster;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A watch survives the restart of its server without losing or repeating an event.
 */
class WatchResumeIntegrationTests {

	@Test
	void watchShouldResumeAfterAServerRestartWithoutGapsOrDuplicates() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1);
				EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(cluster.endpoint())))
					.requestTimeout(Duration.ofSeconds(2))
					.build();
				EtcdTemplate template = new EtcdTemplate(transport)) {
			List<Long> seen = new CopyOnWriteArrayList<>();
			Subscription subscription = template.watchPrefix("resume/", (event) -> seen.add(event.revision()));
			WatchIntegrationTests.awaitConnected(subscription);
			long firstRevision = subscription.nextRevision();
			int written = 0;
			for (int i = 0; i < 300; i++) {
				if (i == 100) {
					cluster.member(0).kill();
				}
				if (i == 110) {
					cluster.member(0).restart();
				}
				if (write(template, "resume/" + (i % 7), i)) {
					written++;
				}
			}
			assertThat(written).isGreaterThanOrEqualTo(290);
			// The truth: the whole history of the prefix, read afterwards from the
			// server.
			List<Long> history = new ArrayList<>();
			long last = template.txn().commit().revision();
			try (Stream<WatchEvent> replay = template
				.watchStream(WatchRequest.prefix("resume/").fromRevision(firstRevision))) {
				Iterator<WatchEvent> events = replay.iterator();
				while (history.isEmpty() || history.get(history.size() - 1) < last) {
					history.add(events.next().revision());
				}
			}
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (seen.size() < history.size() && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			assertThat(new ArrayList<>(seen)).isEqualTo(history);
			assertThat(template.getWatches().reconnectCount()).isPositive();
			subscription.close();
		}
	}

	@Test
	void progressNotificationsShouldMoveTheResumePointWhileNothingChanges() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.builder()
			.members(1)
			.extraArgs(List.of("--experimental-watch-progress-notify-interval=300ms"))
			.start();
				EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(cluster.endpoint()))).build();
				EtcdTemplate template = new EtcdTemplate(transport)) {
			template.put("progress/other", "moves the revision past the watched key's");
			List<Long> progress = new CopyOnWriteArrayList<>();
			try (Subscription subscription = template
				.watch(WatchRequest.key("progress/watched").withProgressNotifications(), new WatchListener() {

					@Override
					public void onEvent(WatchEvent event) {
					}

					@Override
					public void onProgress(long revision) {
						progress.add(revision);
					}

				})) {
				WatchIntegrationTests.awaitConnected(subscription);
				template.put("progress/other", "again");
				long revision = template.getEntry("progress/other").modRevision();
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
				while (subscription.nextRevision() <= revision && System.nanoTime() < deadline) {
					Thread.sleep(50);
				}
				assertThat(subscription.nextRevision()).isEqualTo(revision + 1);
				// The resume point moves before the listener is told, on its own thread.
				Eventually.within(Duration.ofSeconds(5), () -> progress.contains(revision));
			}
		}
	}

	private static boolean write(EtcdTemplate template, String key, int value) {
		try {
			template.put(key, value);
			return true;
		}
		catch (EtcdException ex) {
			// The server is down: this write fails (or its outcome is unknown); the watch
			// must still agree with history.
			return false;
		}
	}

}
