package org.etcdspring.watch;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.support.EtcdAdmin;
import org.etcdspring.support.Eventually;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thousand concurrent watches in one JVM cost a few streams, not a socket or a thread
 * each.
 */
class ManyWatchesIntegrationTests {

	private static final int WATCHES = 1000;

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	@Test
	void thousandWatchesShouldEachReceiveTheirEventOnFewStreamsWithFewThreads() throws Exception {
		try (EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build();
				EtcdTemplate template = new EtcdTemplate(transport)) {
			int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
			CountDownLatch received = new CountDownLatch(WATCHES);
			List<Subscription> subscriptions = new ArrayList<>();
			for (int i = 0; i < WATCHES; i++) {
				String expected = "value-" + i;
				subscriptions.add(template.watch("many/" + i, (event) -> {
					if (event.kv().valueAsString().equals(expected)) {
						received.countDown();
					}
				}));
			}
			for (Subscription subscription : subscriptions) {
				WatchIntegrationTests.awaitConnected(subscription);
			}
			int peakThreads = ManagementFactory.getThreadMXBean().getThreadCount();
			for (int i = 0; i < WATCHES; i++) {
				template.put("many/" + i, "value-" + i);
				peakThreads = Math.max(peakThreads, ManagementFactory.getThreadMXBean().getThreadCount());
			}
			assertThat(received.await(30, TimeUnit.SECONDS)).as("every watch got its event").isTrue();
			assertThat(template.getWatches().activeCount()).isEqualTo(WATCHES);
			assertThat(EtcdAdmin.watchers(etcd.endpoint())).isGreaterThanOrEqualTo(WATCHES);
			// Watches opened together share streams: a few connections, not one per
			// watch.
			assertThat(EtcdAdmin.watchStreams(etcd.endpoint())).isLessThanOrEqualTo(WATCHES / 10);
			assertThat(template.getWatches().streamCount()).isLessThanOrEqualTo(WATCHES / 10);
			// Platform threads: the JVM's own, the HTTP client's small pool, the
			// dispatchers; never one per watch.
			assertThat(peakThreads - threadsBefore).as("threads added for %d watches", WATCHES).isLessThan(50);
			subscriptions.forEach(Subscription::close);
			assertThat(template.getWatches().activeCount()).isZero();
			assertThat(template.getWatches().streamCount()).isZero();
			// Closed watches leave nothing behind on the server.
			Eventually.within(Duration.ofSeconds(30), () -> EtcdAdmin.watchers(etcd.endpoint()) == 0);
		}
	}

}
