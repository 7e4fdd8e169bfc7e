package org.etcdspring.leader;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.support.EtcdAdmin;
import org.etcdspring.support.Eventually;
import org.etcdspring.test.EtcdMember;
import org.etcdspring.test.EtcdServerExtension;
import org.etcdspring.watch.EtcdWatches.WatchInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A leader whose key is quiet while the rest of the keyspace moves on, is compacted and
 * the member restarted: the watch of its key cannot resume from where leading began,
 * which is not a loss. The test waits until the watch was resumed past the compaction (so
 * the compacted resume really ran); the leadership is kept, and its key is still watched.
 */
class LeadershipAfterCompactionIntegrationTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	private static WatchInfo watchOf(EtcdTemplate template, Leadership leadership) {
		List<WatchInfo> watches = template.getWatches()
			.activeWatches()
			.stream()
			.filter((watch) -> watch.request().contains(leadership.key()))
			.toList();
		assertThat(watches).as("watches of the leader key").hasSize(1);
		return watches.get(0);
	}

	@Test
	void leadershipShouldSurviveCompactionAndARestartOfTheMember() throws Exception {
		EtcdMember member = etcd.cluster().member(0);
		try (EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build();
				EtcdTemplate template = new EtcdTemplate(transport)) {
			Election election = template.election("compacted");
			Leadership leadership = election.campaign("this process", Duration.ofSeconds(10)).orElseThrow();
			try {
				for (int i = 0; i < 200; i++) {
					template.put("elsewhere/" + (i % 10), Integer.toString(i));
				}
				long compacted = template.getEntry("elsewhere/9").modRevision();
				EtcdAdmin.compact(etcd.endpoint(), compacted);
				// The key is quiet: its watch resumes from where leading began, below the
				// compaction.
				assertThat(watchOf(template, leadership).nextRevision()).isLessThanOrEqualTo(compacted);
				long reconnects = template.getWatches().reconnectCount();
				member.restart();
				member.awaitHealthy(Duration.ofSeconds(30));
				// The watch failed with the member and opened again; etcd cancelled it as
				// compacted, and the leadership read its key and watched it again from
				// past the compaction: etcd has that watch.
				Eventually.within(Duration.ofSeconds(30), () -> template.getWatches().reconnectCount() > reconnects);
				Eventually.within(Duration.ofSeconds(30), () -> template.getWatches()
					.activeWatches()
					.stream()
					.anyMatch(
							(watch) -> watch.request().contains(leadership.key()) && watch.nextRevision() > compacted));
				Eventually.within(Duration.ofSeconds(10), () -> EtcdAdmin.watchers(etcd.endpoint()) >= 1);
				assertThat(leadership.isLeader()).isTrue();
				assertThat(election.leader()).map(Leader::value).contains("this process");
				// Still watched: a deletion of the key is a loss, noticed at once.
				template.delete(leadership.key());
				Eventually.within(Duration.ofSeconds(10), () -> !leadership.isLeader());
			}
			finally {
				leadership.resign();
			}
		}
	}

}
