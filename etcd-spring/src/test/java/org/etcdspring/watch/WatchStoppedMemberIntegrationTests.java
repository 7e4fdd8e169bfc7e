package org.etcdspring.watch;

import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdLocalCluster;
import org.etcdspring.test.EtcdMember;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A watch on a member that is stopped (SIGSTOP: connections stay open, nothing answers)
 * moves to another member and delivers what happened meanwhile.
 */
class WatchStoppedMemberIntegrationTests {

	/**
	 * The endpoints with a follower first: stopping the leader would stall writes for an
	 * election, which is not what this test is about.
	 */
	private static List<URI> followerFirst(EtcdLocalCluster cluster) {
		try (EtcdTransport transport = EtcdTransport.builder(cluster.endpoints().stream().map(URI::create).toList())
			.build(); EtcdTemplate template = new EtcdTemplate(transport)) {
			List<URI> leaderUrls = template.cluster().leader().clientUrls();
			return cluster.endpoints()
				.stream()
				.map(URI::create)
				.sorted(Comparator.comparing(leaderUrls::contains))
				.toList();
		}
	}

	@Test
	void watchOnAStoppedMemberShouldMoveToAnotherAndMissNothing() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(3);
				EtcdTransport watching = EtcdTransport.builder(followerFirst(cluster))
					.requestTimeout(Duration.ofSeconds(1))
					.build();
				EtcdTemplate watcher = new EtcdTemplate(watching)) {
			BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
			Subscription subscription = watcher.watch("stopped/key", events::add);
			WatchIntegrationTests.awaitConnected(subscription);
			URI watchedEndpoint = watching.currentEndpoint();
			EtcdMember stopped = cluster.members()
				.stream()
				.filter((member) -> member.clientEndpoint().equals(watchedEndpoint.toString()))
				.findFirst()
				.orElseThrow();
			List<URI> others = cluster.members()
				.stream()
				.filter((member) -> member != stopped)
				.map((member) -> URI.create(member.clientEndpoint()))
				.toList();
			stopped.pause();
			try (EtcdTransport writing = EtcdTransport.builder(others).requestTimeout(Duration.ofSeconds(5)).build();
					EtcdTemplate writer = new EtcdTemplate(writing)) {
				for (int i = 0; i < 5; i++) {
					writer.put("stopped/key", "v" + i);
				}
				for (int i = 0; i < 5; i++) {
					WatchEvent event = events.poll(15, TimeUnit.SECONDS);
					assertThat(event).as("event %d after the member stopped", i).isNotNull();
					assertThat(event.kv().valueAsString()).isEqualTo("v" + i);
				}
			}
			finally {
				stopped.resume();
			}
			assertThat(watching.currentEndpoint()).isNotEqualTo(watchedEndpoint);
			subscription.close();
		}
	}

}
