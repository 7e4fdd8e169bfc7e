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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A leader whose key is quiet while the rest of the keyspace moves on, is compacted and
 * the member restarted: the watch of its key cannot resume from where leading began,
 * which is not a loss. The leadership is kept, and its key is still watched.
 */
class LeadershipAfterCompactionIntegrationTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

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
				EtcdAdmin.compact(etcd.endpoint(), template.getEntry("elsewhere/9").modRevision());
				member.restart();
				member.awaitHealthy(Duration.ofSeconds(30));
				// Time for the watch to fail on the compacted revision and to be set up
				// again.
				Thread.sleep(5000);
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
