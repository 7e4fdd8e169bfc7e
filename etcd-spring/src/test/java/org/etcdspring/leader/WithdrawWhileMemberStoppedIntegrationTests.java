package org.etcdspring.leader;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.lease.EtcdSession;
import org.etcdspring.support.Eventually;
import org.etcdspring.test.EtcdMember;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A candidacy withdrawn from an election while etcd does not answer (its member stopped
 * with SIGSTOP), on a session that another role keeps using: once etcd is back, the key
 * is deleted in the background, instead of living on with the session's lease and holding
 * the role (or a place in its queue) for as long as the process runs.
 */
class WithdrawWhileMemberStoppedIntegrationTests {

	private static final Duration TTL = Duration.ofSeconds(10);

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	@Test
	void withdrawalOfACandidacyWithAnUnknownRevisionShouldBeRetriedUntilTheKeyIsGone() throws Exception {
		// Entering an election can fail with its outcome unknown (the put may have been
		// applied, its answer lost): the campaign then withdraws without knowing its
		// key's create revision. That outcome cannot be provoked on purpose, so the key
		// is put by a campaign that succeeds, and withdrawn as such a campaign would.
		EtcdMember member = etcd.cluster().member(0);
		try (EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint())))
			.requestTimeout(Duration.ofSeconds(1))
			.build(); EtcdTemplate template = new EtcdTemplate(transport)) {
			EtcdSession session = EtcdSession.open(template.leases(), TTL, (leaseId, reason, cause) -> {
			});
			try {
				Leadership keeper = template.election("withdraw-keeper")
					.campaign(session, "this process", Duration.ofSeconds(5))
					.orElseThrow();
				Election election = template.election("withdraw-unknown");
				Leadership stale = election.campaign(session, "this process", Duration.ofSeconds(5)).orElseThrow();
				String key = stale.key();
				member.pause();
				try {
					// Fails on the stopped member: the read of the key's create revision
					// and the delete are left to the background.
					election.withdraw(session, false, key, 0);
				}
				finally {
					member.resume();
				}
				Duration took = Eventually.within(TTL, () -> template.get(key) == null);
				assertThat(took).isLessThan(TTL);
				// Not by the expiry of the session's lease: it lives on, and so does the
				// other role.
				assertThat(session.isAlive()).isTrue();
				assertThat(template.leases().timeToLive(session.leaseId(), false)).isPresent();
				assertThat(keeper.isLeader()).isTrue();
				assertThat(template.get(keeper.key())).isEqualTo("this process");
				assertThat(election.leader()).isEmpty();
				keeper.resign();
			}
			finally {
				session.close();
			}
		}
	}

}
