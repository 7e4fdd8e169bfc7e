package org.etcdspring.leader;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.etcdspring.support.Etcdctl;
import org.etcdspring.support.SharedEtcdTemplate;
import org.etcdspring.watch.Subscription;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Elections here and {@code etcdctl elect} share one layout: each sees the other's
 * leader.
 */
class EtcdctlElectionInteropTests extends SharedEtcdTemplate {

	@Test
	void etcdctlShouldShowOurLeader() throws Exception {
		Election election = template.election("shown");
		try (Leadership leadership = election.campaign("ours", Duration.ofSeconds(5)).orElseThrow();
				Etcdctl observer = Etcdctl.start(etcd.endpoint(), "elect", "-l", electionName(election))) {
			observer.awaitLine(leadership.key(), Duration.ofSeconds(5));
			observer.awaitLine("ours", Duration.ofSeconds(5));
		}
	}

	@Test
	void leaderElectedByEtcdctlShouldBeOurLeaderToo() throws Exception {
		Election election = template.election("theirs");
		BlockingQueue<Optional<Leader>> changes = new LinkedBlockingQueue<>();
		try (Subscription observation = election.observe((leader) -> changes.add(Optional.ofNullable(leader)))) {
			assertThat(changes.poll(5, TimeUnit.SECONDS)).isEmpty();
			CompletableFuture<Optional<Leadership>> ours;
			try (Etcdctl elect = Etcdctl.start(etcd.endpoint(), "elect", electionName(election), "theirs")) {
				elect.awaitLine("theirs", Duration.ofSeconds(5));
				assertThat(election.leader()).map(Leader::value).contains("theirs");
				assertThat(changes.poll(5, TimeUnit.SECONDS)).map(Leader::value).contains("theirs");
				assertThat(election.campaign("ours", Duration.ofMillis(200))).isEmpty();
				ours = Campaigns.inBackground(election, "ours", Duration.ofSeconds(30));
				assertThat(changes.poll(300, TimeUnit.MILLISECONDS)).isNull();
			}
			// etcdctl resigns on SIGTERM: our waiting campaign leads.
			try (Leadership leadership = ours.get(5, TimeUnit.SECONDS).orElseThrow()) {
				assertThat(changes.poll(5, TimeUnit.SECONDS)).map(Leader::value).contains("ours");
				assertThat(leadership.isLeader()).isTrue();
			}
			assertThat(changes.poll(5, TimeUnit.SECONDS)).isEmpty();
		}
	}

	private static String electionName(Election election) {
		String keyPrefix = election.keyPrefix();
		return keyPrefix.substring(0, keyPrefix.length() - 1);
	}

}
