package org.etcdspring.leader;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.TxnOp;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.lease.EtcdLeases;
import org.etcdspring.lease.EtcdSession;
import org.etcdspring.support.EtcdAdmin;
import org.etcdspring.support.Eventually;
import org.etcdspring.test.EtcdServerExtension;
import org.etcdspring.watch.Subscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link Election} and {@link Leadership} against a real etcd process.
 */
class ElectionIntegrationTests {

	private static final Duration TTL = Duration.ofSeconds(2);

	private static final Duration TTL_AND_A_SECOND = TTL.plusSeconds(1);

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	private static EtcdTransport transport;

	private static EtcdTemplate template;

	@BeforeAll
	static void createTemplate() {
		transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build();
		template = new EtcdTemplate(transport);
		template.setElectionTtl(TTL);
	}

	@AfterEach
	void nothingShouldBeLeftBehind() throws Exception {
		Eventually.within(Duration.ofSeconds(5), () -> template.getWatches().activeCount() == 0);
		assertThat(((EtcdLeases) template.leases()).keepAliveCount()).isZero();
	}

	@AfterAll
	static void close() {
		template.close();
		transport.close();
	}

	@Test
	void leadershipShouldFenceWritesLikeALock() throws Exception {
		Election election = template.election("fenced");
		Leadership former = election.campaign("node-1", Duration.ofSeconds(5)).orElseThrow();
		assertThat(template.txn().ifHeld(former).then(TxnOp.put("fenced/data", "node-1")).commit().succeeded())
			.isTrue();
		// The key goes (as when the lease expires during a pause) and another participant
		// leads.
		template.delete(former.key());
		Leadership next = election.campaign("node-2", Duration.ofSeconds(5)).orElseThrow();
		assertThat(next.fencingToken()).isGreaterThan(former.fencingToken());
		assertThat(template.txn().ifHeld(former).then(TxnOp.put("fenced/data", "node-1 again")).commit().succeeded())
			.isFalse();
		assertThat(template.txn().ifHeld(next).then(TxnOp.put("fenced/data", "node-2")).commit().succeeded()).isTrue();
		assertThat(template.get("fenced/data")).isEqualTo("node-2");
		next.resign();
		former.resign();
	}

	@Test
	void campaignAloneShouldLeadAtOnceWithEtcdsKeyLayout() throws Exception {
		Election election = template.election("alone");
		Leadership leadership = election.campaign("node-1", Duration.ofSeconds(5)).orElseThrow();
		assertThat(leadership.isLeader()).isTrue();
		KeyValue key = template.getEntry(leadership.key());
		assertThat(leadership.key()).isEqualTo(Election.DEFAULT_PREFIX + "alone/" + Long.toHexString(key.lease()));
		assertThat(election.leader())
			.contains(new Leader(leadership.key(), "node-1", leadership.revision(), key.lease()));
		leadership.resign();
		assertThat(leadership.isLeader()).isFalse();
		assertThat(election.leader()).isEmpty();
		// The campaign's own session is revoked with the resignation.
		assertThat(template.leases().timeToLive(key.lease(), false)).isEmpty();
	}

	@Test
	void waitingCampaignShouldLeadWhenTheLeaderResigns() throws Exception {
		Election election = template.election("queue");
		Leadership first = election.campaign("first", Duration.ofSeconds(5)).orElseThrow();
		CompletableFuture<Optional<Leadership>> second = Campaigns.inBackground(election, "second",
				Duration.ofSeconds(10));
		Eventually.within(Duration.ofSeconds(5), () -> template.getPrefix(election.keyPrefix()).size() == 2);
		assertThat(second).isNotDone();
		first.resign();
		Leadership next = second.get(TTL_AND_A_SECOND.toMillis(), TimeUnit.MILLISECONDS).orElseThrow();
		assertThat(next.isLeader()).isTrue();
		assertThat(next.revision()).isGreaterThan(first.revision());
		assertThat(election.leader()).map(Leader::value).contains("second");
		next.resign();
	}

	@Test
	void campaignShouldGiveUpAtItsTimeoutAndWithdraw() throws Exception {
		Election election = template.election("timeout");
		try (Leadership leader = election.campaign("leader", Duration.ofSeconds(5)).orElseThrow()) {
			long start = System.nanoTime();
			assertThat(election.campaign("late", Duration.ofMillis(300))).isEmpty();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
			assertThat(template.getPrefix(election.keyPrefix())).extracting(KeyValue::key)
				.containsExactly(leader.key());
		}
	}

	@Test
	void interruptedCampaignShouldWithdraw() throws Exception {
		Election election = template.election("interrupted");
		try (Leadership leader = election.campaign("leader", Duration.ofSeconds(5)).orElseThrow();
				EtcdSession session = EtcdSession.open(template.leases(), TTL, (id, reason, cause) -> {
				})) {
			AtomicReference<Throwable> outcome = new AtomicReference<>();
			Thread waiter = new Thread(() -> {
				try {
					election.campaign(session, "waiter", Duration.ofSeconds(30));
				}
				catch (Throwable ex) {
					outcome.set(ex);
				}
			});
			waiter.start();
			Eventually.within(Duration.ofSeconds(10), () -> template.getPrefix(election.keyPrefix()).size() == 2);
			waiter.interrupt();
			waiter.join(10_000);
			assertThat(waiter.isAlive()).as(() -> "waiter still running at " + List.of(waiter.getStackTrace()))
				.isFalse();
			assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
			assertThat(template.getPrefix(election.keyPrefix())).extracting(KeyValue::key)
				.containsExactly(leader.key());
			assertThat(session.isAlive()).isTrue();
		}
	}

	@Test
	void campaignAgainOnTheSameSessionShouldKeepThePlaceAndTakeTheNewValue() throws Exception {
		Election election = template.election("again");
		try (EtcdSession session = EtcdSession.open(template.leases(), TTL, (id, reason, cause) -> {
		})) {
			Leadership first = election.campaign(session, "v1", Duration.ofSeconds(5)).orElseThrow();
			Leadership again = election.campaign(session, "v2", Duration.ofSeconds(5)).orElseThrow();
			assertThat(again.key()).isEqualTo(first.key());
			assertThat(again.revision()).isEqualTo(first.revision());
			assertThat(election.leader()).map(Leader::value).contains("v2");
			again.resign();
			assertThat(election.leader()).isEmpty();
			assertThat(session.isAlive()).isTrue();
		}
	}

	@Test
	void proclaimShouldChangeTheValueAndFailOnceResigned() throws Exception {
		Election election = template.election("proclaim");
		Leadership leadership = election.campaign("v1", Duration.ofSeconds(5)).orElseThrow();
		leadership.proclaim("v2");
		assertThat(leadership.value()).isEqualTo("v2");
		assertThat(election.leader()).map(Leader::value).contains("v2");
		assertThat(election.leader()).map(Leader::revision).contains(leadership.revision());
		leadership.resign();
		assertThatExceptionOfType(EtcdNotLeaderException.class).isThrownBy(() -> leadership.proclaim("v3"))
			.withMessageContaining("proclaim")
			.withMessageContaining("resigned");
	}

	@Test
	void observeShouldReportEveryChangeIncludingNoLeader() throws Exception {
		Election election = template.election("observed");
		BlockingQueue<Optional<Leader>> changes = new LinkedBlockingQueue<>();
		try (Subscription observation = election.observe((leader) -> changes.add(Optional.ofNullable(leader)))) {
			assertThat(changes.poll(5, TimeUnit.SECONDS)).isEmpty();
			Leadership first = election.campaign("first", Duration.ofSeconds(5)).orElseThrow();
			assertThat(changes.poll(5, TimeUnit.SECONDS)).map(Leader::value).contains("first");
			first.proclaim("first, again");
			assertThat(changes.poll(5, TimeUnit.SECONDS)).map(Leader::value).contains("first, again");
			CompletableFuture<Optional<Leadership>> second = Campaigns.inBackground(election, "second",
					Duration.ofSeconds(10));
			Eventually.within(Duration.ofSeconds(5), () -> template.getPrefix(election.keyPrefix()).size() == 2);
			first.resign();
			assertThat(changes.poll(5, TimeUnit.SECONDS)).map(Leader::value).contains("second");
			second.get(5, TimeUnit.SECONDS).orElseThrow().resign();
			assertThat(changes.poll(5, TimeUnit.SECONDS)).isEmpty();
			// A waiting participant that joins and leaves is no change of leader.
			assertThat(changes.poll(200, TimeUnit.MILLISECONDS)).isNull();
		}
	}

	@Test
	void revokedLeaseShouldEndTheLeadershipAndHandTheRoleOn() throws Exception {
		Election election = template.election("revoked");
		Leadership first = election.campaign("first", Duration.ofSeconds(5)).orElseThrow();
		CompletableFuture<String> lost = new CompletableFuture<>();
		first.addListener((leadership, reason) -> lost.complete(reason));
		CompletableFuture<Optional<Leadership>> second = Campaigns.inBackground(election, "second",
				Duration.ofSeconds(10));
		Eventually.within(Duration.ofSeconds(5), () -> template.getPrefix(election.keyPrefix()).size() == 2);
		long revokedAt = System.nanoTime();
		EtcdAdmin.revokeLease(etcd.endpoint(), election.leader().orElseThrow().lease());
		Leadership next = second.get(TTL_AND_A_SECOND.toMillis(), TimeUnit.MILLISECONDS).orElseThrow();
		Duration failover = Duration.ofNanos(System.nanoTime() - revokedAt);
		assertThat(lost.get(TTL_AND_A_SECOND.toMillis(), TimeUnit.MILLISECONDS)).containsAnyOf("deleted", "lease");
		assertThat(first.isLeader()).isFalse();
		assertThat(next.isLeader()).isTrue();
		assertThat(failover).isLessThan(TTL_AND_A_SECOND);
		next.resign();
	}

	@Test
	void stoppedKeepAliveShouldHandTheRoleOnWithinTheTtl() throws Exception {
		Election election = template.election("orphaned");
		EtcdSession session = EtcdSession.open(template.leases(), TTL, (id, reason, cause) -> {
		});
		Leadership first = election.campaign(session, "first", Duration.ofSeconds(5)).orElseThrow();
		CompletableFuture<String> lost = new CompletableFuture<>();
		first.addListener((leadership, reason) -> lost.complete(reason));
		CompletableFuture<Optional<Leadership>> second = Campaigns.inBackground(election, "second",
				Duration.ofSeconds(10));
		Eventually.within(Duration.ofSeconds(5), () -> template.getPrefix(election.keyPrefix()).size() == 2);
		long stoppedAt = System.nanoTime();
		session.orphan();
		Leadership next = second.get(TTL_AND_A_SECOND.toMillis(), TimeUnit.MILLISECONDS).orElseThrow();
		Duration failover = Duration.ofNanos(System.nanoTime() - stoppedAt);
		assertThat(lost.get(TTL_AND_A_SECOND.toMillis(), TimeUnit.MILLISECONDS)).contains("deleted");
		assertThat(first.isLeader()).isFalse();
		assertThat(failover).isLessThan(TTL_AND_A_SECOND);
		next.resign();
	}

	@Test
	void trySetOrRenewShouldTakeAFreeRoleAndKeepOnlyItsOwn() throws Exception {
		Election election = template.election("simple");
		Duration ttl = Duration.ofSeconds(3);
		assertThat(election.trySetOrRenew("a", ttl)).isTrue();
		assertThat(election.trySetOrRenew("b", ttl)).isFalse();
		Leader taken = election.leader().orElseThrow();
		assertThat(taken.value()).isEqualTo("a");
		// Renewed every second, the role stays taken well past its TTL.
		for (int i = 0; i < 5; i++) {
			Thread.sleep(1000);
			assertThat(election.trySetOrRenew("a", ttl)).isTrue();
		}
		assertThat(election.leader()).contains(taken);
		assertThat(election.delete("b")).isFalse();
		assertThat(election.delete("a")).isTrue();
		assertThat(election.leader()).isEmpty();
		assertThat(election.delete("a")).isFalse();
	}

	@Test
	void trySetOrRenewWithAnotherTtlShouldKeepThePlace() {
		Election election = template.election("another-ttl");
		assertThat(election.trySetOrRenew("a", TTL)).isTrue();
		Leader before = election.leader().orElseThrow();
		assertThat(election.trySetOrRenew("a", Duration.ofSeconds(30))).isTrue();
		Leader after = election.leader().orElseThrow();
		assertThat(after.key()).isEqualTo(before.key());
		assertThat(after.revision()).isEqualTo(before.revision());
		assertThat(template.ttl(after.key())).hasValueSatisfying((ttl) -> assertThat(ttl).isGreaterThan(TTL));
		// The lease it left had no other key: revoked.
		assertThat(template.leases().timeToLive(before.lease(), false)).isEmpty();
		assertThat(election.delete("a")).isTrue();
	}

	@Test
	void roleTakenWithTrySetOrRenewShouldExpireWithoutRenewal() throws Exception {
		Election election = template.election("expiring");
		assertThat(election.trySetOrRenew("a", Duration.ofSeconds(1))).isTrue();
		Duration expiredAfter = Eventually.within(Duration.ofSeconds(3), () -> election.leader().isEmpty());
		assertThat(expiredAfter).isLessThan(Duration.ofSeconds(3));
		assertThat(election.trySetOrRenew("b", TTL)).isTrue();
		assertThat(election.delete("b")).isTrue();
	}

}
